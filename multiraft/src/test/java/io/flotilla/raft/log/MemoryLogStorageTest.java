package io.flotilla.raft.log;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
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
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory log storage: indexes, terms, overwrite, compaction and snapshots. */
class MemoryLogStorageTest {

    @Test
    @DisplayName("an empty storage: first 1, last 0, term(0) = 0, nothing beyond")
    void empty() {
        MemoryLogStorage s = new MemoryLogStorage();
        assertThat(s.firstIndex()).isEqualTo(1);
        assertThat(s.lastIndex()).isZero();
        assertThat(s.term(0)).isZero();
        assertThatThrownBy(() -> s.term(1)).isInstanceOf(LogStorageException.Unavailable.class);
        assertThat(s.entries(1, 1, Long.MAX_VALUE)).isEmpty();
        assertThat(s.snapshot().isEmpty()).isTrue();
        assertThat(s.initialHardState()).isEqualTo(HardState.EMPTY);
    }

    @Test
    @DisplayName("append extends the log; an append inside it overwrites the conflicting suffix")
    void appendOverwrites() {
        MemoryLogStorage s = storage(1, 1, 1, 1, 1);
        s.append(from(3, 2, 2));
        assertThat(s.lastIndex()).isEqualTo(4);
        assertThat(terms(s.entries(1, 5, Long.MAX_VALUE))).containsExactly(1L, 1L, 2L, 2L);
        s.append(from(5, 3));
        assertThat(terms(s.entries(1, 6, Long.MAX_VALUE))).containsExactly(1L, 1L, 2L, 2L, 3L);
        s.append(List.of());
        assertThat(s.lastIndex()).isEqualTo(5);
    }

    @Test
    @DisplayName("append refuses to leave a gap")
    void appendRefusesGap() {
        MemoryLogStorage s = storage(1, 1);
        assertThatIllegalStateException().isThrownBy(() -> s.append(from(4, 1)));
        assertThat(s.lastIndex()).isEqualTo(2);
    }

    @Test
    @DisplayName("append skips entries that are already compacted")
    void appendSkipsCompacted() {
        MemoryLogStorage s = storage(1, 1, 1, 1);
        s.compact(3);
        s.append(from(2, 1, 1, 2, 2)); // 2 and 3 are compacted; 4 is overwritten; 5 is new
        assertThat(s.firstIndex()).isEqualTo(4);
        assertThat(s.lastIndex()).isEqualTo(5);
        assertThat(terms(s.entries(4, 6, Long.MAX_VALUE))).containsExactly(2L, 2L);
        s.append(from(1, 9, 9)); // entirely compacted: ignored
        assertThat(terms(s.entries(4, 6, Long.MAX_VALUE))).containsExactly(2L, 2L);
    }

    @Test
    @DisplayName("term is readable from firstIndex-1 to lastIndex; Compacted below, Unavailable above")
    void termRange() {
        MemoryLogStorage s = storage(1, 2, 3, 4, 5);
        s.compact(2);
        assertThat(s.term(2)).as("the compaction point's term stays readable").isEqualTo(2);
        assertThat(s.term(5)).isEqualTo(5);
        assertThatThrownBy(() -> s.term(1)).isInstanceOf(LogStorageException.Compacted.class);
        assertThatThrownBy(() -> s.term(6)).isInstanceOf(LogStorageException.Unavailable.class);
    }

    @Test
    @DisplayName("compact drops up to and including the index; refuses already compacted or missing indexes")
    void compact() {
        MemoryLogStorage s = storage(1, 1, 2, 2, 3);
        s.compact(3);
        assertThat(s.firstIndex()).isEqualTo(4);
        assertThat(s.lastIndex()).isEqualTo(5);
        assertThatThrownBy(() -> s.entries(3, 5, Long.MAX_VALUE)).isInstanceOf(LogStorageException.Compacted.class);
        assertThat(indexes(s.entries(4, 6, Long.MAX_VALUE))).containsExactly(4L, 5L);
        assertThatThrownBy(() -> s.compact(3)).isInstanceOf(LogStorageException.Compacted.class);
        assertThatThrownBy(() -> s.compact(6)).isInstanceOf(LogStorageException.Unavailable.class);
        s.compact(5);
        assertThat(s.firstIndex()).isEqualTo(6);
        assertThat(s.lastIndex()).isEqualTo(5);
        assertThat(s.term(5)).isEqualTo(3);
    }

    @Test
    @DisplayName("entries: [lo, hi), at least one, stopping before the size limit is exceeded")
    void entriesSizeLimit() {
        MemoryLogStorage s = new MemoryLogStorage();
        s.append(sized(1, 5, 1, 6)); // 30 bytes each with the overhead
        long each = Entry.OVERHEAD_BYTES + 6;
        assertThat(indexes(s.entries(1, 6, 0))).containsExactly(1L);
        assertThat(indexes(s.entries(1, 6, each))).containsExactly(1L);
        assertThat(indexes(s.entries(1, 6, 2 * each - 1))).containsExactly(1L);
        assertThat(indexes(s.entries(1, 6, 2 * each))).containsExactly(1L, 2L);
        assertThat(indexes(s.entries(2, 6, 3 * each + 1))).containsExactly(2L, 3L, 4L);
        assertThat(indexes(s.entries(2, 4, Long.MAX_VALUE))).containsExactly(2L, 3L);
        assertThatThrownBy(() -> s.entries(1, 7, Long.MAX_VALUE)).isInstanceOf(LogStorageException.Unavailable.class);
        assertThatThrownBy(() -> s.entries(0, 2, Long.MAX_VALUE)).isInstanceOf(LogStorageException.Compacted.class);
    }

    @Test
    @DisplayName("createSnapshot records index, term and configuration; refuses old or missing indexes")
    void createSnapshot() {
        MemoryLogStorage s = storage(1, 2, 2, 3);
        ConfState cs = ConfState.ofVoters(1, 2, 3);
        Snapshot snap = s.createSnapshot(3, cs, new byte[] {7});
        assertThat(snap.index()).isEqualTo(3);
        assertThat(snap.term()).isEqualTo(2);
        assertThat(snap.metadata().confState()).isEqualTo(cs);
        assertThat(snap.data()).containsExactly(7);
        assertThat(s.snapshot()).isSameAs(snap);
        assertThat(s.initialConfState()).isEqualTo(cs);
        assertThat(s.lastIndex()).as("creating a snapshot does not compact").isEqualTo(4);
        assertThatThrownBy(() -> s.createSnapshot(3, cs, null)).isInstanceOf(LogStorageException.Compacted.class);
        assertThatThrownBy(() -> s.createSnapshot(2, cs, null)).isInstanceOf(LogStorageException.Compacted.class);
        assertThatThrownBy(() -> s.createSnapshot(5, cs, null)).isInstanceOf(LogStorageException.Unavailable.class);
    }

    @Test
    @DisplayName("applySnapshot replaces the log: it ends at the snapshot, whose term stays readable")
    void applySnapshot() {
        MemoryLogStorage s = storage(1, 1, 1);
        Snapshot snap = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1, 2), 10, 4), new byte[] {1});
        s.applySnapshot(snap);
        assertThat(s.firstIndex()).isEqualTo(11);
        assertThat(s.lastIndex()).isEqualTo(10);
        assertThat(s.term(10)).isEqualTo(4);
        assertThatThrownBy(() -> s.term(9)).isInstanceOf(LogStorageException.Compacted.class);
        assertThat(s.snapshot()).isSameAs(snap);
        s.append(from(11, 4, 5));
        assertThat(s.lastIndex()).isEqualTo(12);

        Snapshot older = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1), 5, 2), null);
        assertThatThrownBy(() -> s.applySnapshot(older)).isInstanceOf(LogStorageException.Compacted.class);
        assertThat(s.snapshot()).isSameAs(snap);
        assertThat(s.lastIndex()).isEqualTo(12);
    }

    @Test
    @DisplayName("withVoters starts a new group with its initial configuration; copy is independent")
    void withVotersAndCopy() {
        MemoryLogStorage s = MemoryLogStorage.withVoters(1, 2, 3);
        assertThat(s.initialConfState().voters()).containsExactly(1L, 2L, 3L);
        s.append(from(1, 1, 1));
        s.setHardState(new HardState(1, 1, 2));
        MemoryLogStorage copy = s.copy();
        s.append(from(3, 2));
        s.setHardState(new HardState(2, 0, 2));
        assertThat(copy.lastIndex()).isEqualTo(2);
        assertThat(copy.hardState()).isEqualTo(new HardState(1, 1, 2));
        assertThat(copy.initialConfState()).isEqualTo(s.initialConfState());
    }
}
