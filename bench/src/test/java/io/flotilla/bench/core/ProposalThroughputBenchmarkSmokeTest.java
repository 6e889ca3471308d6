package io.flotilla.bench.core;

import io.flotilla.raft.StateRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the benchmark body directly (not through JMH) and checks it does what its score claims. */
class ProposalThroughputBenchmarkSmokeTest {
    private static final int OPS = 300;

    @Test
    @DisplayName("each proposeBatch() commits and applies its 64 entries on all three replicas (Raft paper §5.3)")
    void everyBatchIsCommittedAndAppliedEverywhere() {
        ProposalThroughputBenchmark b = new ProposalThroughputBenchmark();
        b.entryBytes = 16;
        b.setUp();
        long before = b.leader.appliedIndex();

        for (int op = 1; op <= OPS; op++) {
            long applied = b.proposeBatch();
            assertThat(applied).as("leader applied index after op %d", op)
                    .isEqualTo(before + (long) op * ProposalThroughputBenchmark.BATCH);
            for (long id = 1; id <= 3; id++) {
                assertThat(b.group.replica(id).appliedIndex()).as("replica %d after op %d", id, op).isEqualTo(applied);
            }
        }

        long entries = (long) OPS * ProposalThroughputBenchmark.BATCH;
        for (long id = 1; id <= 3; id++) {
            MemoryReplica r = b.group.replica(id);
            assertThat(r.appliedDataEntries()).as("data entries applied on %d", id).isEqualTo(entries);
            assertThat(r.appliedBytes()).as("payload bytes applied on %d", id).isEqualTo(entries * 16);
            assertThat(r.node().raft().log().committed()).isEqualTo(r.appliedIndex());
        }
        assertThat(b.leader.node().raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(b.group.replica(2).node().raft().role()).isEqualTo(StateRole.FOLLOWER);
    }

    @Test
    @DisplayName("compaction keeps every replica's log bounded however many batches run")
    void compactionBoundsTheLog() {
        ProposalThroughputBenchmark b = new ProposalThroughputBenchmark();
        b.entryBytes = 16;
        b.setUp();

        for (int op = 0; op < OPS; op++) {
            b.proposeBatch();
            for (long id = 1; id <= 3; id++) {
                var s = b.group.replica(id).storage();
                assertThat(s.lastIndex() - s.firstIndex() + 1).as("entries held by %d", id)
                        .isLessThanOrEqualTo(ProposalThroughputBenchmark.MAX_RETAINED
                                + ProposalThroughputBenchmark.BATCH);
            }
        }
        for (long id = 1; id <= 3; id++) {
            var s = b.group.replica(id).storage();
            assertThat(s.firstIndex()).as("%d compacted", id).isGreaterThan(1);
            assertThat(s.snapshot().index()).as("%d snapshot point", id).isEqualTo(s.firstIndex() - 1);
        }
    }
}
