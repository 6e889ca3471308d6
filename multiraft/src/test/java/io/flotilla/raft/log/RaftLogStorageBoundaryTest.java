package io.flotilla.raft.log;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flotilla.raft.log.LogEntries.from;
import static io.flotilla.raft.log.LogEntries.indexes;
import static io.flotilla.raft.log.LogEntries.sized;
import static io.flotilla.raft.log.LogEntries.storage;
import static io.flotilla.raft.log.LogEntries.terms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the durable log ends and the unstable tail begins: reads, persistence, snapshots. */
class RaftLogStorageBoundaryTest {
    private static final long EACH = Entry.OVERHEAD_BYTES + 10;

    /** Entries 1..3 durable, 4..6 unstable, all of term 1 and {@link #EACH} bytes. */
    private static RaftLog split() {
        MemoryLogStorage s = new MemoryLogStorage();
        s.append(sized(1, 3, 1, 10));
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        log.append(sized(4, 3, 1, 10));
        return log;
    }

    @Test
    @DisplayName("slice reads across the storage/unstable boundary")
    void sliceAcrossBoundary() {
        RaftLog log = split();
        assertThat(indexes(log.slice(2, 6, Long.MAX_VALUE))).containsExactly(2L, 3L, 4L, 5L);
        assertThat(indexes(log.slice(1, 4, Long.MAX_VALUE))).containsExactly(1L, 2L, 3L);
        assertThat(indexes(log.slice(4, 7, Long.MAX_VALUE))).containsExactly(4L, 5L, 6L);
        assertThat(log.slice(3, 3, Long.MAX_VALUE)).isEmpty();
        assertThat(indexes(log.allEntries())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(indexes(log.entriesFrom(5, Long.MAX_VALUE))).containsExactly(5L, 6L);
        assertThat(log.entriesFrom(7, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    @DisplayName("slice stops before the size limit is exceeded, wherever that falls, and returns at least one")
    void sliceSizeLimit() {
        RaftLog log = split();
        assertThat(indexes(log.slice(2, 7, 0))).containsExactly(2L);
        assertThat(indexes(log.slice(2, 7, EACH))).containsExactly(2L);
        assertThat(indexes(log.slice(2, 7, 2 * EACH))).as("ends at the boundary").containsExactly(2L, 3L);
        assertThat(indexes(log.slice(2, 7, 3 * EACH))).as("one past the boundary").containsExactly(2L, 3L, 4L);
        assertThat(indexes(log.slice(3, 7, 2 * EACH + 1))).containsExactly(3L, 4L);
        assertThat(indexes(log.slice(4, 7, 2 * EACH))).as("unstable only").containsExactly(4L, 5L);
        assertThat(indexes(log.slice(4, 7, 1))).containsExactly(4L);
        assertThat(indexes(log.entriesFrom(1, 4 * EACH))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    @DisplayName("slice never skips an entry: when storage stops at the limit, a smaller unstable entry is not added")
    void sliceStaysContiguous() {
        MemoryLogStorage s = new MemoryLogStorage();
        s.append(List.of(Entry.normal(1, 1, new byte[10]), Entry.normal(1, 2, new byte[100])));
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        log.append(List.of(Entry.empty(1, 3)));
        long room = (Entry.OVERHEAD_BYTES + 10) + Entry.OVERHEAD_BYTES + 5; // fits 1 and 3, not 2
        assertThat(indexes(log.slice(1, 4, room))).containsExactly(1L);
    }

    @Test
    @DisplayName("slice refuses compacted, missing and inverted ranges")
    void sliceBounds() {
        MemoryLogStorage s = storage(1, 1, 1);
        s.compact(1);
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        assertThatThrownBy(() -> log.slice(1, 3, Long.MAX_VALUE)).isInstanceOf(LogStorageException.Compacted.class);
        assertThatThrownBy(() -> log.slice(2, 5, Long.MAX_VALUE)).isInstanceOf(LogStorageException.Unavailable.class);
        assertThatIllegalArgumentException().isThrownBy(() -> log.slice(3, 2, Long.MAX_VALUE));
    }

    @Test
    @DisplayName("term reads the unstable tail first, then storage; Compacted below, Unavailable above")
    void termLookup() {
        MemoryLogStorage s = storage(1, 2, 2);
        s.compact(1);
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        log.append(from(4, 3));
        assertThat(log.term(1)).isEqualTo(1);
        assertThat(log.term(3)).isEqualTo(2);
        assertThat(log.term(4)).isEqualTo(3);
        assertThat(log.lastTerm()).isEqualTo(3);
        assertThatThrownBy(() -> log.term(0)).isInstanceOf(LogStorageException.Compacted.class);
        assertThatThrownBy(() -> log.term(5)).isInstanceOf(LogStorageException.Unavailable.class);
        assertThat(log.termOrZero(0)).isZero();
        assertThat(log.termOrZero(5)).isZero();
        assertThat(log.matchTerm(4, 3)).isTrue();
        assertThat(log.matchTerm(4, 2)).isFalse();
        assertThat(log.matchTerm(9, 0)).isFalse();
    }

    @Test
    @DisplayName("stableTo moves entries out of the unstable tail only when index and term still match")
    void stableTo() {
        MemoryLogStorage s = new MemoryLogStorage();
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        log.append(from(1, 1, 1, 1));
        assertThat(log.lastPersistedIndex()).isZero();
        s.append(log.unstableEntries()); // the host persists, then reports
        log.stableTo(2, 1);
        assertThat(log.unstableEntries()).containsExactlyElementsOf(from(3, 1));
        assertThat(log.lastPersistedIndex()).isEqualTo(2);
        log.stableTo(3, 2);
        assertThat(log.unstableEntries()).as("term mismatch: ignored").hasSize(1);
        log.stableTo(5, 1);
        assertThat(log.unstableEntries()).as("past the end: ignored").hasSize(1);
        log.stableTo(3, 1);
        assertThat(log.unstableEntries()).isEmpty();
        assertThat(log.lastPersistedIndex()).isEqualTo(3);
    }

    @Test
    @DisplayName("an entry overwritten while it was being persisted stays unstable (stableTo with a stale term)")
    void stableToAfterOverwrite() {
        MemoryLogStorage s = new MemoryLogStorage();
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        log.append(from(1, 1, 1, 1));
        s.append(log.unstableEntries()); // the host is writing 1..3 ...
        assertThat(log.maybeAppend(1, 1, 0, from(2, 2))).isEqualTo(2); // ... when a new leader overwrites 2..3
        log.stableTo(3, 1); // the host reports the old write done
        assertThat(log.unstableEntries()).containsExactlyElementsOf(from(1, 1, 2));
        assertThat(log.lastIndex()).isEqualTo(2);
        assertThatThrownBy(() -> log.term(3)).isInstanceOf(LogStorageException.Unavailable.class);
        log.stableTo(2, 1);
        assertThat(log.unstableEntries()).hasSize(2);
        log.stableTo(1, 1);
        assertThat(log.unstableEntries()).containsExactlyElementsOf(from(2, 2));
        assertThat(log.lastPersistedIndex()).isEqualTo(1);
    }

    @Test
    @DisplayName("truncating into the durable part: what follows the conflict is no longer persisted")
    void truncationIntoStorage() {
        MemoryLogStorage s = storage(1, 1, 1);
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        log.append(from(4, 1));
        assertThat(log.lastPersistedIndex()).isEqualTo(3);
        assertThat(log.maybeAppend(1, 1, 0, from(2, 2))).isEqualTo(2);
        assertThat(log.lastIndex()).isEqualTo(2);
        assertThat(log.term(2)).isEqualTo(2);
        assertThatThrownBy(() -> log.term(3)).isInstanceOf(LogStorageException.Unavailable.class);
        assertThat(log.lastPersistedIndex()).isEqualTo(1);
        assertThat(terms(log.allEntries())).containsExactly(1L, 2L);

        log.stableTo(4, 1); // a stale report
        assertThat(log.unstableEntries()).containsExactlyElementsOf(from(2, 2));
        s.append(log.unstableEntries());
        log.stableTo(2, 2);
        assertThat(log.unstableEntries()).isEmpty();
        assertThat(log.lastIndex()).isEqualTo(2);
        assertThat(log.lastPersistedIndex()).isEqualTo(2);
    }

    @Test
    @DisplayName("restore(snapshot) replaces the log: commit at the snapshot, nothing durable until it is persisted (§7)")
    void restoreSnapshot() {
        MemoryLogStorage s = storage(1, 1, 1);
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        log.commitTo(2);
        Snapshot snap = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1, 2), 10, 3), null);
        log.restore(snap);

        assertThat(log.committed()).isEqualTo(10);
        assertThat(log.firstIndex()).isEqualTo(11);
        assertThat(log.lastIndex()).isEqualTo(10);
        assertThat(log.term(10)).isEqualTo(3);
        assertThatThrownBy(() -> log.term(5)).isInstanceOf(LogStorageException.Compacted.class);
        assertThat(log.hasPendingSnapshot()).isTrue();
        assertThat(log.unstableSnapshot()).isSameAs(snap);
        assertThat(log.snapshot()).isSameAs(snap);
        assertThat(log.lastPersistedIndex()).isZero();
        assertThat(log.hasNextCommittedEntries()).as("the snapshot, not entries, brings the state machine there")
                .isFalse();
        assertThat(log.unstableEntries()).isEmpty();

        log.append(from(11, 3));
        assertThat(log.lastIndex()).isEqualTo(11);
        log.stableSnapTo(9);
        assertThat(log.hasPendingSnapshot()).as("another snapshot's report is ignored").isTrue();
        s.applySnapshot(snap);
        log.stableSnapTo(10);
        assertThat(log.hasPendingSnapshot()).isFalse();
        assertThat(log.snapshot()).isSameAs(s.snapshot());
        assertThat(log.term(10)).isEqualTo(3);
        assertThat(log.firstIndex()).isEqualTo(11);
        assertThat(log.lastPersistedIndex()).isEqualTo(10);
        log.appliedTo(10);
        assertThat(log.applied()).isEqualTo(10);
    }
}
