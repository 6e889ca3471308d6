package io.flotilla.raft.log;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.flotilla.raft.log.LogEntries.from;
import static io.flotilla.raft.log.LogEntries.indexes;
import static io.flotilla.raft.log.LogEntries.sized;
import static io.flotilla.raft.log.LogEntries.storage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Commit and apply positions: applied <= applying <= committed <= lastIndex. */
class RaftLogCommitTest {

    @Test
    @DisplayName("a new log starts committed and applied at its compaction point")
    void startsAtCompactionPoint() {
        MemoryLogStorage s = new MemoryLogStorage();
        s.applySnapshot(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1), 10, 2), null));
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        assertThat(log.committed()).isEqualTo(10);
        assertThat(log.applied()).isEqualTo(10);
        assertThat(log.applying()).isEqualTo(10);
        assertThat(log.firstIndex()).isEqualTo(11);
        assertThat(log.lastIndex()).isEqualTo(10);
        assertThat(log.lastTerm()).isEqualTo(2);
    }

    @Test
    @DisplayName("§5.4.2: a leader commits by counting replicas only for entries of its current term")
    void maybeCommitOnlyCurrentTerm() {
        RaftLog log = new RaftLog(storage(1, 1, 2), Long.MAX_VALUE);
        assertThat(log.maybeCommit(3, 3)).as("entry 3 is from term 2").isFalse();
        assertThat(log.committed()).isZero();
        log.append(from(4, 3));
        assertThat(log.maybeCommit(4, 3)).isTrue();
        assertThat(log.committed()).as("earlier entries commit indirectly").isEqualTo(4);
        assertThat(log.maybeCommit(4, 3)).isFalse();
        assertThat(log.maybeCommit(2, 1)).isFalse();
        assertThat(log.maybeCommit(9, 3)).as("an index past the end has no term").isFalse();
        assertThat(log.committed()).isEqualTo(4);
    }

    @Test
    @DisplayName("commitTo never goes back and refuses to pass the last index")
    void commitTo() {
        RaftLog log = new RaftLog(storage(1, 1, 1), Long.MAX_VALUE);
        log.commitTo(2);
        log.commitTo(1);
        assertThat(log.committed()).isEqualTo(2);
        assertThatIllegalStateException().isThrownBy(() -> log.commitTo(4));
        assertThat(log.committed()).isEqualTo(2);
    }

    @Test
    @DisplayName("committed entries are handed out once: acceptApplying moves past them, appliedTo records them")
    void applyProgression() {
        RaftLog log = new RaftLog(storage(1, 1, 1, 1, 1), Long.MAX_VALUE);
        assertThat(log.hasNextCommittedEntries()).isFalse();
        assertThat(log.nextCommittedEntries()).isEmpty();
        log.commitTo(3);
        assertThat(log.hasNextCommittedEntries()).isTrue();
        assertThat(indexes(log.nextCommittedEntries())).containsExactly(1L, 2L, 3L);

        log.acceptApplying(2);
        assertThat(indexes(log.nextCommittedEntries())).containsExactly(3L);
        log.acceptApplying(3);
        assertThat(log.hasNextCommittedEntries()).isFalse();
        assertThat(log.nextCommittedEntries()).isEmpty();
        log.acceptApplying(1);
        assertThat(log.applying()).as("applying never goes back").isEqualTo(3);

        log.appliedTo(2);
        assertThat(log.applied()).isEqualTo(2);
        assertThat(log.applying()).isEqualTo(3);
        log.commitTo(5);
        assertThat(indexes(log.nextCommittedEntries())).containsExactly(4L, 5L);
        log.appliedTo(5);
        assertThat(log.applying()).as("applying follows applied").isEqualTo(5);
        assertThat(log.hasNextCommittedEntries()).isFalse();
    }

    @Test
    @DisplayName("appliedTo must stay within [applied, committed]; 0 means nothing to record")
    void appliedToBounds() {
        RaftLog log = new RaftLog(storage(1, 1, 1, 1), Long.MAX_VALUE);
        log.commitTo(3);
        log.appliedTo(2);
        assertThatIllegalStateException().isThrownBy(() -> log.appliedTo(4));
        assertThatIllegalStateException().isThrownBy(() -> log.appliedTo(1));
        log.appliedTo(0);
        assertThat(log.applied()).isEqualTo(2);
    }

    @Test
    @DisplayName("committed entries to apply are bounded in bytes, at least one at a time")
    void applyingSizeLimit() {
        MemoryLogStorage s = new MemoryLogStorage();
        s.append(sized(1, 5, 1, 10));
        long each = Entry.OVERHEAD_BYTES + 10;
        RaftLog log = new RaftLog(s, 2 * each);
        log.commitTo(5);
        assertThat(indexes(log.nextCommittedEntries())).containsExactly(1L, 2L);
        log.acceptApplying(2);
        assertThat(indexes(log.nextCommittedEntries())).containsExactly(3L, 4L);

        RaftLog tiny = new RaftLog(s, 1);
        tiny.commitTo(5);
        assertThat(indexes(tiny.nextCommittedEntries())).containsExactly(1L);
    }

    @Test
    @DisplayName("committed entries still in the unstable tail are handed out: a Ready persists before it applies")
    void committedUnstableEntriesAreHandedOut() {
        RaftLog log = new RaftLog(storage(1), Long.MAX_VALUE);
        log.append(from(2, 1, 1));
        log.commitTo(3);
        assertThat(indexes(log.nextCommittedEntries())).containsExactly(1L, 2L, 3L);
    }
}
