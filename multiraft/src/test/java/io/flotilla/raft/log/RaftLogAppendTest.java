package io.flotilla.raft.log;

import io.flotilla.raft.message.Entry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flotilla.raft.log.LogEntries.from;
import static io.flotilla.raft.log.LogEntries.storage;
import static io.flotilla.raft.log.LogEntries.terms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The follower side of AppendEntries and the log comparisons of elections (§5.3, §5.4.1). */
class RaftLogAppendTest {

    /** A log whose storage holds entries 1..3 with terms 1, 2, 3. */
    private static RaftLog log123() {
        return new RaftLog(storage(1, 2, 3), Long.MAX_VALUE);
    }

    @Test
    @DisplayName("§5.3 consistency check: a mismatching or missing previous entry is refused, nothing changes")
    void refusesMismatchingPrevious() {
        RaftLog log = log123();
        log.commitTo(1);
        assertThat(log.maybeAppend(3, 2, 3, from(4, 4))).isEqualTo(-1);
        assertThat(log.maybeAppend(4, 3, 3, from(5, 4))).isEqualTo(-1);
        assertThat(log.lastIndex()).isEqualTo(3);
        assertThat(log.committed()).isEqualTo(1);
        assertThat(log.unstableEntries()).isEmpty();
    }

    @Test
    @DisplayName("§5.3: commit advances to min(leaderCommit, index of the last new entry)")
    void commitIsBoundedByLastNewEntry() {
        RaftLog log = log123();
        assertThat(log.maybeAppend(1, 1, 3, List.of())).isEqualTo(1);
        assertThat(log.committed()).as("entries past the last new one are not vouched for").isEqualTo(1);
        assertThat(log.maybeAppend(3, 3, 2, List.of())).isEqualTo(3);
        assertThat(log.committed()).isEqualTo(2);
        assertThat(log.maybeAppend(3, 3, 1, List.of())).isEqualTo(3);
        assertThat(log.committed()).as("commit never goes back").isEqualTo(2);
    }

    @Test
    @DisplayName("§5.3: entries already present are not rewritten, and a stale append does not truncate")
    void presentEntriesAreKept() {
        RaftLog log = log123();
        assertThat(log.maybeAppend(1, 1, 2, from(2, 2))).isEqualTo(2);
        assertThat(log.lastIndex()).isEqualTo(3);
        assertThat(log.unstableEntries()).isEmpty();
        assertThat(log.committed()).isEqualTo(2);
    }

    @Test
    @DisplayName("§5.3: a conflicting entry and all that follow it are replaced")
    void conflictTruncates() {
        RaftLog log = log123();
        assertThat(log.maybeAppend(1, 1, 1, from(2, 4, 4))).isEqualTo(3);
        assertThat(terms(log.allEntries())).containsExactly(1L, 4L, 4L);
        assertThat(log.unstableEntries()).containsExactlyElementsOf(from(2, 4, 4));
        assertThat(log.maybeAppend(1, 1, 1, from(2, 4, 5))).isEqualTo(3);
        assertThat(terms(log.allEntries())).containsExactly(1L, 4L, 5L);
    }

    @Test
    @DisplayName("only the entries after the last matching one are appended")
    void appendsOnlyNewEntries() {
        RaftLog log = log123();
        assertThat(log.maybeAppend(1, 1, 0, from(2, 2, 3, 4, 4))).isEqualTo(5);
        assertThat(log.unstableEntries()).containsExactlyElementsOf(from(4, 4, 4));
        assertThat(terms(log.allEntries())).containsExactly(1L, 2L, 3L, 4L, 4L);
    }

    @Test
    @DisplayName("a conflict at or below the commit index is refused: committed entries are never overwritten (§5.4)")
    void refusesOverwritingCommitted() {
        RaftLog log = log123();
        log.commitTo(2);
        assertThatIllegalStateException().isThrownBy(() -> log.maybeAppend(1, 1, 3, from(2, 5, 5)));
        assertThat(terms(log.allEntries())).containsExactly(1L, 2L, 3L);
        assertThat(log.committed()).isEqualTo(2);
        // A conflict just above the commit index is fine.
        assertThat(log.maybeAppend(2, 2, 2, from(3, 5))).isEqualTo(3);
        assertThat(log.term(3)).isEqualTo(5);
    }

    @Test
    @DisplayName("a leader's own append goes to the end; appending at or below the commit index is a bug")
    void leaderAppend() {
        RaftLog log = log123();
        assertThat(log.append(List.of())).isEqualTo(3);
        assertThat(log.append(from(4, 3, 3))).isEqualTo(5);
        log.commitTo(4);
        assertThatIllegalStateException().isThrownBy(() -> log.append(from(4, 9)));
        assertThat(log.term(4)).isEqualTo(3);
    }

    @Test
    @DisplayName("findConflict: the first new or conflicting index, 0 when all are present")
    void findConflict() {
        RaftLog log = log123();
        record Case(List<Entry> ents, long want) {
        }
        List<Case> cases = List.of(
                new Case(List.of(), 0),
                new Case(from(1, 1, 2, 3), 0),
                new Case(from(2, 2, 3), 0),
                new Case(from(3, 3), 0),
                new Case(from(1, 1, 2, 3, 4, 4), 4),
                new Case(from(2, 2, 3, 4, 4), 4),
                new Case(from(4, 4, 4), 4),
                new Case(from(1, 4, 4), 1),
                new Case(from(2, 1, 3, 4), 2),
                new Case(from(3, 1, 2, 4, 4), 3));
        for (Case c : cases) {
            assertThat(log.findConflict(c.ents())).as("%s", c.ents()).isEqualTo(c.want());
        }
    }

    @Test
    @DisplayName("findConflictByTerm: the last index at or below the given one whose term is at most the given term")
    void findConflictByTerm() {
        RaftLog log = new RaftLog(storage(1, 1, 2, 2, 4, 4), Long.MAX_VALUE);
        long[][] cases = {
                // index, term, want index, want term
                {6, 4, 6, 4}, {6, 3, 4, 2}, {6, 2, 4, 2}, {6, 1, 2, 1}, {6, 0, 0, 0},
                {3, 5, 3, 2}, {0, 9, 0, 0},
                {9, 9, 9, 0}, // past the end: the term is unknown
        };
        for (long[] c : cases) {
            assertThat(log.findConflictByTerm(c[0], c[1])).as("index %d term %d", c[0], c[1])
                    .containsExactly(c[2], c[3]);
        }
    }

    @Test
    @DisplayName("findConflictByTerm stops at the compaction point with an unknown term")
    void findConflictByTermStopsAtCompaction() {
        MemoryLogStorage s = storage(1, 1, 2, 2, 4, 4);
        s.compact(3);
        RaftLog log = new RaftLog(s, Long.MAX_VALUE);
        assertThat(log.findConflictByTerm(6, 2)).containsExactly(4, 2);
        assertThat(log.findConflictByTerm(6, 1)).as("3 is the readable compaction point, 2 is gone")
                .containsExactly(2, 0);
    }

    @Test
    @DisplayName("§5.4.1: a later last term wins; with equal last terms the longer log wins")
    void isUpToDate() {
        RaftLog log = log123(); // last entry: index 3, term 3
        assertThat(log.isUpToDate(3, 3)).isTrue();
        assertThat(log.isUpToDate(4, 3)).isTrue();
        assertThat(log.isUpToDate(2, 3)).isFalse();
        assertThat(log.isUpToDate(1, 4)).as("a higher term beats a longer log").isTrue();
        assertThat(log.isUpToDate(10, 2)).as("a longer log of a lower term loses").isFalse();
    }
}
