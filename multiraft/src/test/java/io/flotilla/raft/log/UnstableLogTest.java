package io.flotilla.raft.log;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.flotilla.raft.log.LogEntries.from;
import static io.flotilla.raft.log.LogEntries.indexes;
import static io.flotilla.raft.log.LogEntries.terms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The not-yet-durable tail of the log (package-private, so tested from its package). */
class UnstableLogTest {

    private static Snapshot snapshot(long index, long term) {
        return new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1), index, term), null);
    }

    private static UnstableLog withEntries(long offset, long... terms) {
        UnstableLog u = new UnstableLog(offset);
        u.truncateAndAppend(from(offset, terms));
        return u;
    }

    @Test
    @DisplayName("an empty tail knows nothing: first, last and terms come from storage")
    void emptyKnowsNothing() {
        UnstableLog u = new UnstableLog(5);
        assertThat(u.maybeFirstIndex()).isEqualTo(-1);
        assertThat(u.maybeLastIndex()).isEqualTo(-1);
        assertThat(u.maybeTerm(4)).isEqualTo(-1);
        assertThat(u.maybeTerm(5)).isEqualTo(-1);
    }

    @Test
    @DisplayName("entries fix the last index and their terms; the first index comes only from a snapshot")
    void entriesKnowTheirTerms() {
        UnstableLog u = withEntries(5, 1, 2);
        assertThat(u.maybeFirstIndex()).isEqualTo(-1);
        assertThat(u.maybeLastIndex()).isEqualTo(6);
        assertThat(u.maybeTerm(5)).isEqualTo(1);
        assertThat(u.maybeTerm(6)).isEqualTo(2);
        assertThat(u.maybeTerm(4)).isEqualTo(-1);
        assertThat(u.maybeTerm(7)).isEqualTo(-1);
    }

    @Test
    @DisplayName("a snapshot fixes first (its index+1), last (its index) and its own term")
    void snapshotFixesBounds() {
        UnstableLog u = new UnstableLog(3);
        u.restore(snapshot(10, 4));
        assertThat(u.offset()).isEqualTo(11);
        assertThat(u.maybeFirstIndex()).isEqualTo(11);
        assertThat(u.maybeLastIndex()).isEqualTo(10);
        assertThat(u.maybeTerm(10)).isEqualTo(4);
        assertThat(u.maybeTerm(9)).isEqualTo(-1);
        assertThat(u.maybeTerm(11)).isEqualTo(-1);
        u.truncateAndAppend(from(11, 4, 5));
        assertThat(u.maybeLastIndex()).isEqualTo(12);
        assertThat(u.maybeTerm(12)).isEqualTo(5);
        assertThat(u.maybeFirstIndex()).isEqualTo(11);
    }

    @Test
    @DisplayName("stableTo drops a matching prefix; a snapshot index, a stale term or a missing index are ignored")
    void stableTo() {
        UnstableLog u = new UnstableLog(1);
        u.restore(snapshot(4, 2));
        u.truncateAndAppend(from(5, 2, 3, 3));
        u.stableTo(4, 2); // matches the snapshot, not an entry
        assertThat(u.offset()).isEqualTo(5);
        u.stableTo(6, 2); // stale term
        assertThat(u.offset()).isEqualTo(5);
        u.stableTo(9, 3); // missing
        assertThat(u.offset()).isEqualTo(5);
        u.stableTo(6, 3);
        assertThat(u.offset()).isEqualTo(7);
        assertThat(indexes(u.entries())).containsExactly(7L);
        assertThat(u.snapshot()).as("entries and snapshot are persisted separately").isNotNull();
    }

    @Test
    @DisplayName("stableSnapTo clears the snapshot only for its own index")
    void stableSnapTo() {
        UnstableLog u = new UnstableLog(1);
        u.restore(snapshot(4, 2));
        u.stableSnapTo(3);
        assertThat(u.snapshot()).isNotNull();
        u.stableSnapTo(4);
        assertThat(u.snapshot()).isNull();
        u.stableSnapTo(4);
        assertThat(u.snapshot()).isNull();
    }

    @Test
    @DisplayName("truncateAndAppend: append at the end, replace from inside, or replace everything from before the offset")
    void truncateAndAppend() {
        UnstableLog atEnd = withEntries(5, 1, 1);
        atEnd.truncateAndAppend(from(7, 2));
        assertThat(atEnd.offset()).isEqualTo(5);
        assertThat(terms(atEnd.entries())).containsExactly(1L, 1L, 2L);

        UnstableLog inside = withEntries(5, 1, 1, 1);
        inside.truncateAndAppend(from(6, 2, 2, 2));
        assertThat(inside.offset()).isEqualTo(5);
        assertThat(terms(inside.entries())).containsExactly(1L, 2L, 2L, 2L);

        UnstableLog before = withEntries(5, 1, 1);
        before.truncateAndAppend(from(3, 2));
        assertThat(before.offset()).isEqualTo(3);
        assertThat(indexes(before.entries())).containsExactly(3L);
        assertThat(before.maybeLastIndex()).isEqualTo(3);
    }

    @Test
    @DisplayName("slice returns [lo, hi) of the tail and refuses anything outside it")
    void slice() {
        UnstableLog u = withEntries(5, 1, 2, 3);
        assertThat(indexes(u.slice(5, 8))).containsExactly(5L, 6L, 7L);
        assertThat(indexes(u.slice(6, 7))).containsExactly(6L);
        assertThat(u.slice(6, 6)).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> u.slice(4, 6));
        assertThatIllegalArgumentException().isThrownBy(() -> u.slice(6, 9));
        assertThatIllegalArgumentException().isThrownBy(() -> u.slice(7, 6));
        // A slice is a copy: later truncation does not change it.
        var copy = u.slice(5, 8);
        u.truncateAndAppend(from(5, 9));
        assertThat(terms(copy)).containsExactly(1L, 2L, 3L);
    }
}
