package io.flotilla.store.server;

import com.google.protobuf.ByteString;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.Replica;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging every node's view of its ranges into one table. */
class RangeTableTest {
    private static RangeDescriptor range(long id, String start, String end, long version, long conf, long... nodes) {
        RangeDescriptor.Builder b = RangeDescriptor.newBuilder().setRangeId(id).setStartKey(ByteString.copyFromUtf8(start))
                .setEndKey(ByteString.copyFromUtf8(end)).setVersion(version).setConfVersion(conf);
        for (long n : nodes) {
            b.addReplicas(Replica.newBuilder().setNodeId(n).setReplicaId(n));
        }
        return b.build();
    }

    private static RangeStatus status(RangeDescriptor d, long leader, long term, long applied) {
        return RangeStatus.newBuilder().setRange(d).setLeaderNodeId(leader).setTerm(term).setAppliedIndex(applied)
                .setWritesPerSecond(leader * 10).build();
    }

    private static ClusterSurvey.NodeReport report(long node, RangeStatus... ranges) {
        return new ClusterSurvey.NodeReport(node, "127.0.0.1:" + node,
                LocalRangesResponse.newBuilder().setNodeId(node).addAllRanges(List.of(ranges)).build(), null);
    }

    @Test
    void theNewestDescriptorWinsAndTheLeaderIsTheSelfReportedOneWithTheHighestTerm() {
        RangeDescriptor old = range(1, "", "", 1, 1, 1, 2, 3);
        RangeDescriptor split = range(1, "", "m", 2, 1, 1, 2, 3);
        RangeDescriptor child = range(7, "m", "", 2, 1, 1, 2, 3);
        List<RangeStatus> merged = RangeTable.merge(List.of(
                report(1, status(old, 1, 4, 90)),                       // a deposed leader, behind
                report(2, status(split, 2, 5, 100), status(child, 2, 5, 100)),
                report(3, status(split, 2, 5, 100), status(child, 2, 5, 100)),
                new ClusterSurvey.NodeReport(4, "127.0.0.1:4", null, "unreachable")));
        assertThat(merged).extracting(s -> s.getRange().getRangeId()).containsExactly(1L, 7L);
        RangeStatus one = merged.get(0);
        assertThat(one.getRange()).isEqualTo(split);
        assertThat(one.getLeaderNodeId()).isEqualTo(2);
        assertThat(one.getTerm()).isEqualTo(5);
        assertThat(one.getWritesPerSecond()).as("load as the leader reports it").isEqualTo(20);
        assertThat(one.getLaggingNodeIdsList()).as("node 1 reported it, close enough").isEmpty();
        assertThat(merged.get(1).getLaggingNodeIdsList()).as("node 1 has not applied the split").containsExactly(1L);
    }

    @Test
    void aRangeWithoutASelfReportedLeaderHasNone() {
        RangeDescriptor d = range(3, "", "", 1, 2, 1, 2);
        List<RangeStatus> merged = RangeTable.merge(List.of(report(1, status(d, 2, 3, 10)), report(2, status(d, 1, 3, 10))));
        assertThat(merged.get(0).getLeaderNodeId()).as("each names the other: neither leads").isZero();
    }
}
