package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.log.LogStorageException;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flotilla.raft.rules.Fixtures.bytes;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Log compaction and snapshots (Raft paper §7): the applied prefix of the log is replaced by a
 * snapshot; a follower that needs compacted entries gets the snapshot instead, restores from
 * it, and then receives the rest of the log by normal appends.
 */
class SnapshotTest {

    /**
     * Leader 1 applied p0..p4 with 3 cut off, snapshotted and compacted at that point, then
     * appended q0, q1 (also missed by 3). Returns the snapshot index.
     */
    private static long compactWhileThreeIsAway(TestCluster c) {
        c.elect(1);
        c.isolate(3);
        for (int i = 0; i < 5; i++) {
            c.propose(1, "p" + i);
        }
        c.stabilize();
        TestNode leader = c.node(1);
        long snapIndex = leader.node().raft().log().applied();
        assertThat(snapIndex).isEqualTo(6);
        leader.storage().createSnapshot(snapIndex, leader.confState(), bytes("state@" + snapIndex));
        leader.storage().compact(snapIndex);
        c.propose(1, "q0");
        c.propose(1, "q1");
        c.stabilize();
        return snapIndex;
    }

    @Test
    @DisplayName("§7: compaction drops the applied prefix but keeps the term of the last compacted entry")
    void compactionKeepsBoundaryTerm() {
        TestCluster c = TestCluster.of(3);
        long snapIndex = compactWhileThreeIsAway(c);
        MemoryLogStorage s = c.node(1).storage();
        Raft r = c.node(1).node().raft();
        assertThat(s.firstIndex()).isEqualTo(snapIndex + 1);
        assertThat(s.snapshot().index()).isEqualTo(snapIndex);
        assertThat(s.snapshot().term()).isEqualTo(r.term());
        assertThat(s.snapshot().metadata().confState().voters()).containsExactly(1L, 2L, 3L);
        assertThat(r.log().term(snapIndex)).isEqualTo(r.term());
        assertThatThrownBy(() -> r.log().term(snapIndex - 1)).isInstanceOf(LogStorageException.Compacted.class);
        assertThatThrownBy(() -> s.compact(snapIndex)).as("already compacted")
                .isInstanceOf(LogStorageException.Compacted.class);
    }

    @Test
    @DisplayName("§7: a follower that needs compacted entries is sent the snapshot, restores it, then gets the rest by append")
    void laggingFollowerCatchesUpThroughSnapshot() {
        TestCluster c = TestCluster.of(3);
        long snapIndex = compactWhileThreeIsAway(c);
        Raft leader = c.node(1).node().raft();
        c.heal();
        c.tick(1, 1); // a heartbeat round finds 3 again

        List<Message> sent = new ArrayList<>();
        boolean sawSnapshotState = false;
        for (int round = 0; round < 100; round++) {
            boolean moved = c.processReady();
            sent.addAll(c.inFlight());
            sawSnapshotState |= leader.tracker().get(3).state() == ProgressState.SNAPSHOT;
            if (c.inFlight().isEmpty() && !moved) {
                break;
            }
            c.deliverAll();
        }
        assertThat(sawSnapshotState).as("progress of 3 went through SNAPSHOT").isTrue();
        List<Message> snaps = ofType(sent, MessageType.SNAPSHOT);
        assertThat(snaps).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo(3);
            assertThat(m.snapshot().index()).isEqualTo(snapIndex);
            assertThat(m.snapshot().data()).isEqualTo(bytes("state@" + snapIndex));
        });
        // After the snapshot, q0 and q1 travel as ordinary entries.
        int snapAt = sent.indexOf(snaps.get(0));
        assertThat(sent.subList(snapAt, sent.size())).anySatisfy(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APPEND);
            assertThat(m.to()).isEqualTo(3);
            assertThat(m.entries()).isNotEmpty();
            assertThat(m.entries().get(0).index()).isEqualTo(snapIndex + 1);
        });

        TestNode three = c.node(3);
        assertThat(three.storage().snapshot().index()).isEqualTo(snapIndex);
        assertThat(three.storage().firstIndex()).isEqualTo(snapIndex + 1);
        assertThat(three.confState().voters()).containsExactly(1L, 2L, 3L);
        assertThat(three.node().raft().log().lastIndex()).isEqualTo(leader.log().lastIndex());
        assertThat(three.node().raft().log().committed()).isEqualTo(leader.log().committed());
        assertThat(three.appliedData()).as("only what came after the snapshot is applied as entries")
                .containsExactly("q0", "q1");
        Progress p = leader.tracker().get(3);
        assertThat(p.state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(p.match()).isEqualTo(leader.log().lastIndex());
    }

    /** Brings 3's progress into SNAPSHOT state with the snapshot lost in transit. */
    private static Progress snapshotInFlightLost(TestCluster c) {
        compactWhileThreeIsAway(c);
        c.heal();
        c.dropIf(m -> m.type() == MessageType.SNAPSHOT);
        c.tick(1, 1);
        c.stabilize();
        Progress p = c.node(1).node().raft().tracker().get(3);
        assertThat(p.state()).isEqualTo(ProgressState.SNAPSHOT);
        assertThat(p.isPaused()).as("nothing is sent while a snapshot is in flight").isTrue();
        return p;
    }

    @Test
    @DisplayName("§7: reportSnapshot(failure) moves progress out of SNAPSHOT into a paused probe")
    void reportSnapshotFailure() {
        TestCluster c = TestCluster.of(3);
        Progress p = snapshotInFlightLost(c);
        c.node(1).node().reportSnapshot(3, false);
        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.isPaused()).as("wait for a sign of life before retrying").isTrue();

        // The next heartbeat answer retries; this time the snapshot gets through.
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.node(3).appliedData()).containsExactly("q0", "q1");
    }

    @Test
    @DisplayName("§7: reportSnapshot(success) moves progress to PROBE just past the snapshot")
    void reportSnapshotSuccess() {
        TestCluster c = TestCluster.of(3);
        Progress p = snapshotInFlightLost(c);
        long pending = p.pendingSnapshot();
        c.node(1).node().reportSnapshot(3, true);
        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.isPaused()).isFalse();
        assertThat(p.next()).isEqualTo(pending + 1);
    }

    @Test
    @DisplayName("§7: a snapshot no newer than the follower's commit index is not installed")
    void staleSnapshotIgnored() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        TestNode two = c.node(2);
        long committed = two.node().raft().log().committed();
        Snapshot old = new Snapshot(new SnapshotMetadata(
                ConfState.ofVoters(1, 2, 3), 1, 1), null);
        two.node().step(Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(two.node().raft().term())
                .snapshot(old).build());
        assertThat(two.node().raft().log().hasPendingSnapshot()).isFalse();
        List<Message> sent = Fixtures.drain(two);
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APPEND_RESPONSE);
            assertThat(m.index()).isEqualTo(committed);
        });
    }

    @Test
    @DisplayName("§7: a snapshot is only sent to a follower recently heard from")
    void noSnapshotToInactiveFollower() {
        TestCluster c = TestCluster.of(3);
        compactWhileThreeIsAway(c);
        Raft leader = c.node(1).node().raft();
        // A check-quorum round clears the activity flags; 3 stays silent.
        for (int i = 0; i < leader.config().electionTick(); i++) {
            c.tick(1, 1);
            c.stabilize();
        }
        assertThat(leader.tracker().get(3).recentActive()).isFalse();
        // Back to probing from its match, whose successor is compacted: only a snapshot would do.
        c.node(1).node().reportUnreachable(3);
        assertThat(leader.tracker().get(3).state()).isEqualTo(ProgressState.PROBE);
        c.node(1).node().propose(bytes("more"));
        List<Message> sent = stabilize(c);
        assertThat(ofType(sent, MessageType.SNAPSHOT)).isEmpty();
        assertThat(leader.tracker().get(3).state()).isNotEqualTo(ProgressState.SNAPSHOT);
    }
}
