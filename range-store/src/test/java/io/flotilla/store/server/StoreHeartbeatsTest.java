package io.flotilla.store.server;

import com.google.protobuf.ByteString;
import io.flotilla.placement.cluster.AdminState;
import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.RangeReport;
import io.flotilla.placement.cluster.StoreHeartbeat;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.Replica;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's LocalRanges answer read as a store heartbeat: what the placement driver plans from. */
class StoreHeartbeatsTest {

    private static RangeStatus.Builder range(long id, String start, String end, long version, long leader) {
        return RangeStatus.newBuilder().setLeaderNodeId(leader).setApproximateBytes(4096).setReadsPerSecond(3)
                .setWritesPerSecond(2).setRange(RangeDescriptor.newBuilder().setRangeId(id)
                        .setStartKey(ByteString.copyFromUtf8(start)).setEndKey(ByteString.copyFromUtf8(end))
                        .setVersion(version).setConfVersion(version)
                        .addReplicas(Replica.newBuilder().setNodeId(1).setReplicaId(1))
                        .addReplicas(Replica.newBuilder().setNodeId(2).setReplicaId(2).setLearner(true)));
    }

    @Test
    void rangesCarryTheirDescriptorLeadershipAndLoadStampedWithTheReceiveTime() {
        LocalRangesResponse r = LocalRangesResponse.newBuilder().setNodeId(1).setCapacityBytes(1000).setUsedBytes(400)
                .addRanges(range(7, "a", "m", 3, 1)).addRanges(range(8, "m", "", 2, 2)).build();
        StoreHeartbeat hb = StoreHeartbeats.heartbeat(r, 12_345);
        assertThat(hb.nodeId()).isEqualTo(1);
        assertThat(hb.sentAtMillis()).isEqualTo(12_345);
        assertThat(hb.capacityBytes()).isEqualTo(1000);
        assertThat(hb.usedBytes()).isEqualTo(400);
        RangeReport led = hb.ranges().get(0);
        assertThat(led.leader()).isTrue();
        assertThat(led.start()).isEqualTo(Key.of("a".getBytes(StandardCharsets.UTF_8)));
        assertThat(led.replicas()).hasSize(2).anyMatch(x -> x.nodeId() == 2 && x.learner());
        assertThat(led.stats().requestsPerSecond()).isEqualTo(5);
        assertThat(led.stats().windowMillis()).as("the leader's rates are trusted").isPositive();
        RangeReport followed = hb.ranges().get(1);
        assertThat(followed.leader()).isFalse();
        assertThat(followed.end()).isEqualTo(Key.EMPTY);
        assertThat(followed.stats().windowMillis()).as("a follower serves no load").isZero();
    }

    @Test
    void aReplicaStillWaitingForItsFirstSnapshotIsNotReported() {
        LocalRangesResponse r = LocalRangesResponse.newBuilder().setNodeId(3)
                .addRanges(range(9, "", "", 0, 0)).addRanges(range(10, "x", "y", 1, 0)).build();
        assertThat(StoreHeartbeats.heartbeat(r, 1).ranges()).extracting(RangeReport::rangeId).containsExactly(10L);
    }

    @Test
    void theAdminStateTheNodeReportsBecomesItsRegistryEntry() {
        LocalRangesResponse r = LocalRangesResponse.newBuilder().setNodeId(3)
                .setAdminState(io.flotilla.transport.proto.AdminState.ADMIN_DECOMMISSIONING).putLabels("zone", "b").build();
        assertThat(StoreHeartbeats.registration(3, "127.0.0.1:1", r).adminState()).isEqualTo(AdminState.DECOMMISSIONING);
        assertThat(StoreHeartbeats.registration(3, "127.0.0.1:1", r).labels()).containsEntry("zone", "b");
        for (AdminState s : AdminState.values()) {
            assertThat(StoreHeartbeats.adminState(StoreHeartbeats.toProto(s))).isEqualTo(s);
        }
    }
}
