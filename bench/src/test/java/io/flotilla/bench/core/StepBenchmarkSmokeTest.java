package io.flotilla.bench.core;

import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the step benchmark bodies directly (not through JMH) and checks what each one does. */
class StepBenchmarkSmokeTest {
    private StepBenchmark b;

    @BeforeEach
    void setUp() {
        b = new StepBenchmark();
        b.entryBytes = 16;
        b.setUp();
    }

    @Test
    @DisplayName("heartbeat(): each heartbeat gets exactly one HEARTBEAT_RESPONSE and keeps the follower following (§5.2)")
    void heartbeatIsAnswered() {
        long lastIndex = b.follower.node().raft().log().lastIndex();
        long committed = b.follower.node().raft().log().committed();

        for (int op = 1; op <= 300; op++) {
            Message resp = b.heartbeat();
            assertThat(b.out.count).as("messages after op %d", op).isEqualTo(op);
            assertThat(resp.type()).isEqualTo(MessageType.HEARTBEAT_RESPONSE);
            assertThat(resp.from()).isEqualTo(2);
            assertThat(resp.to()).isEqualTo(1);
            assertThat(resp.term()).isEqualTo(b.term);
        }
        assertThat(b.follower.node().raft().role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(b.follower.node().raft().lead()).isEqualTo(1);
        assertThat(b.follower.node().raft().log().lastIndex()).isEqualTo(lastIndex);
        assertThat(b.follower.node().raft().log().committed()).isEqualTo(committed);
        assertThat(b.follower.node().hasReady()).as("nothing left over after the op").isFalse();
    }

    @Test
    @DisplayName("append(): each append is persisted, acknowledged, and commits and applies the previous entry (§5.3)")
    void appendIsPersistedAcknowledgedAndApplied() {
        long first = b.nextIndex;
        // Enough operations to pass the compaction threshold at least once.
        int ops = 5_000;

        for (int op = 0; op < ops; op++) {
            long index = b.nextIndex;
            Message resp = b.append();
            assertThat(resp.type()).isEqualTo(MessageType.APPEND_RESPONSE);
            assertThat(resp.reject()).as("append of %d rejected", index).isFalse();
            assertThat(resp.index()).isEqualTo(index);
            assertThat(b.follower.storage().lastIndex()).as("persisted").isEqualTo(index);
            assertThat(b.follower.appliedIndex()).as("previous entry applied").isEqualTo(index - 1);
        }
        assertThat(b.out.count).isEqualTo(ops);
        assertThat(b.follower.appliedDataEntries()).as("the last entry is not committed yet").isEqualTo(ops - 1);
        assertThat(b.follower.storage().firstIndex()).as("compacted").isGreaterThan(first);
        assertThat(b.follower.node().hasReady()).isFalse();
    }

    @Test
    @DisplayName("appendMessageOnly() builds the same kind of APPEND that append() steps")
    void appendMessageOnlyBuildsTheMessage() {
        Message m = b.appendMessageOnly();
        assertThat(m.type()).isEqualTo(MessageType.APPEND);
        assertThat(m.entries()).hasSize(1);
        assertThat(m.entries().get(0).data()).hasSize(16);
        assertThat(b.out.count).as("nothing stepped").isZero();
    }
}
