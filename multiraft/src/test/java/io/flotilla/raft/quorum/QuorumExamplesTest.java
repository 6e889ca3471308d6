package io.flotilla.raft.quorum;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** Hand-picked edge cases of the quorum math, each one a rule worth reading on its own. */
class QuorumExamplesTest {

    private static AckedIndexer acks(Map<Long, Long> m) {
        return id -> m.getOrDefault(id, 0L);
    }

    private static VoteLookup votes(Map<Long, Integer> m) {
        return id -> m.getOrDefault(id, VoteLookup.MISSING);
    }

    @Test
    @DisplayName("an empty configuration agrees to everything: committed MAX_VALUE, vote WON")
    void emptyMajorityAgreesToEverything() {
        assertThat(MajorityConfig.EMPTY.isEmpty()).isTrue();
        assertThat(MajorityConfig.EMPTY.committedIndex(id -> 7)).isEqualTo(Long.MAX_VALUE);
        assertThat(MajorityConfig.EMPTY.voteResult(id -> VoteLookup.REJECTED)).isEqualTo(VoteResult.WON);
        assertThat(MajorityConfig.of()).isEqualTo(MajorityConfig.EMPTY);
    }

    @Test
    @DisplayName("a joint configuration with an empty outgoing half behaves exactly as its incoming half")
    void jointWithEmptyOutgoingEqualsSimple() {
        MajorityConfig voters = MajorityConfig.of(1, 2, 3, 4, 5);
        JointConfig joint = JointConfig.simple(voters);
        assertThat(joint.isJoint()).isFalse();
        AckedIndexer acked = acks(Map.of(1L, 9L, 2L, 4L, 3L, 7L, 5L, 2L));
        assertThat(joint.committedIndex(acked)).isEqualTo(voters.committedIndex(acked)).isEqualTo(4);
        for (VoteLookup v : List.of(votes(Map.of(1L, 1, 2L, 1, 3L, 1)), votes(Map.of(1L, -1, 2L, -1, 3L, -1)),
                votes(Map.of(1L, 1, 2L, -1)))) {
            assertThat(joint.voteResult(v)).isEqualTo(voters.voteResult(v));
        }
        assertThat(joint.toString()).isEqualTo(voters.toString()).isEqualTo("(1 2 3 4 5)");
    }

    @Test
    @DisplayName("a joint configuration with both halves empty agrees to everything")
    void jointOfTwoEmptyHalves() {
        JointConfig empty = JointConfig.simple(MajorityConfig.EMPTY);
        assertThat(empty.committedIndex(id -> 3)).isEqualTo(Long.MAX_VALUE);
        assertThat(empty.voteResult(id -> VoteLookup.REJECTED)).isEqualTo(VoteResult.WON);
    }

    @Test
    @DisplayName("a single voter commits what it acknowledged; a voter never heard from counts as 0")
    void singleVoterAndMissingAcks() {
        assertThat(MajorityConfig.of(4).committedIndex(id -> id == 4 ? 12 : 99)).isEqualTo(12);
        assertThat(MajorityConfig.of(1, 2, 3).committedIndex(acks(Map.of(1L, 5L)))).isZero();
        assertThat(MajorityConfig.of(1, 2, 3).committedIndex(acks(Map.of(1L, 5L, 3L, 6L)))).isEqualTo(5);
    }

    @Test
    @DisplayName("an even-sized group needs n/2+1: four voters need three")
    void evenSizedQuorum() {
        MajorityConfig four = MajorityConfig.of(1, 2, 3, 4);
        assertThat(four.committedIndex(acks(Map.of(1L, 5L, 2L, 5L, 3L, 3L, 4L, 3L)))).isEqualTo(3);
        assertThat(four.voteResult(votes(Map.of(1L, 1, 2L, 1)))).isEqualTo(VoteResult.PENDING);
        assertThat(four.voteResult(votes(Map.of(1L, 1, 2L, 1, 3L, -1, 4L, -1)))).isEqualTo(VoteResult.LOST);
        assertThat(four.voteResult(votes(Map.of(1L, 1, 2L, 1, 3L, 1)))).isEqualTo(VoteResult.WON);
    }

    @Test
    @DisplayName("joint votes: a loss in either half loses, a win with a pending half is pending")
    void jointVoteCombinations() {
        JointConfig j = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
        // Incoming wins (1,2), outgoing loses (4,5 reject).
        assertThat(j.voteResult(votes(Map.of(1L, 1, 2L, 1, 4L, -1, 5L, -1)))).isEqualTo(VoteResult.LOST);
        // Incoming wins, outgoing still open.
        assertThat(j.voteResult(votes(Map.of(1L, 1, 2L, 1, 4L, 1)))).isEqualTo(VoteResult.PENDING);
        // The shared voter 3 plus one more on each side wins both.
        assertThat(j.voteResult(votes(Map.of(1L, 1, 3L, 1, 5L, 1)))).isEqualTo(VoteResult.WON);
    }

    @Test
    @DisplayName("joint commit is the smaller of the two halves' commits")
    void jointCommitIsTheMinimum() {
        JointConfig j = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
        AckedIndexer acked = acks(Map.of(1L, 10L, 2L, 8L, 3L, 6L, 4L, 4L, 5L, 2L));
        assertThat(j.committedIndex(acked)).isEqualTo(4);
        assertThat(j.toString()).isEqualTo("(1 2 3)&&(3 4 5)");
        assertThat(j.ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(j.contains(5)).isTrue();
        assertThat(j.contains(6)).isFalse();
    }

    @Test
    @DisplayName("MajorityConfig.of sorts and removes duplicates; equality is by members")
    void ofSortsAndDeduplicates() {
        MajorityConfig c = MajorityConfig.of(3, 1, 3, 2);
        assertThat(c.ids()).containsExactly(1L, 2L, 3L);
        assertThat(c.size()).isEqualTo(3);
        assertThat(c).isEqualTo(MajorityConfig.of(List.of(2L, 3L, 1L))).hasSameHashCodeAs(MajorityConfig.of(1, 2, 3));
        assertThat(c.contains(2)).isTrue();
        assertThat(c.contains(4)).isFalse();
    }

    @Test
    @DisplayName("a joint configuration needs both halves")
    void jointRejectsNullHalves() {
        assertThatNullPointerException().isThrownBy(() -> new JointConfig(null, MajorityConfig.EMPTY));
        assertThatNullPointerException().isThrownBy(() -> new JointConfig(MajorityConfig.EMPTY, null));
    }
}
