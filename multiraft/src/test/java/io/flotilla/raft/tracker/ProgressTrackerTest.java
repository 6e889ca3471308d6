package io.flotilla.raft.tracker;

import io.flotilla.raft.quorum.JointConfig;
import io.flotilla.raft.quorum.MajorityConfig;
import io.flotilla.raft.quorum.VoteResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracker's quorum questions: commit, liveness (check-quorum) and the vote tally. */
class ProgressTrackerTest {

    /** A tracker with the given halves and learners, every member starting at match 0. */
    private static ProgressTracker tracker(long[] incoming, long[] outgoing, long... learners) {
        ProgressTracker t = new ProgressTracker(8, 0);
        TrackerConfig cfg = new TrackerConfig(new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing)),
                toSet(learners), new TreeSet<>(), false);
        TreeMap<Long, Progress> progress = new TreeMap<>();
        for (long id : cfg.members()) {
            progress.put(id, new Progress(0, 1, t.newInflights(), false));
        }
        t.install(cfg, progress);
        return t;
    }

    private static TreeSet<Long> toSet(long... ids) {
        TreeSet<Long> s = new TreeSet<>();
        java.util.Arrays.stream(ids).forEach(s::add);
        return s;
    }

    private static long[] ids(long... ids) {
        return ids;
    }

    @Test
    @DisplayName("committed is the index a majority of voters has durable; learners do not count (§5.3)")
    void committedSimple() {
        ProgressTracker t = tracker(ids(1, 2, 3), ids(), 4);
        t.get(1).maybeUpdate(7);
        t.get(4).maybeUpdate(9);
        assertThat(t.committed()).isZero();
        t.get(2).maybeUpdate(5);
        assertThat(t.committed()).isEqualTo(5);
        t.get(3).maybeUpdate(9);
        assertThat(t.committed()).isEqualTo(7);
    }

    @Test
    @DisplayName("in a joint configuration committed needs a majority of both halves (thesis §4.3)")
    void committedJoint() {
        ProgressTracker t = tracker(ids(1, 2, 3), ids(3, 4, 5));
        long[] match = {0, 10, 8, 6, 4, 2};
        for (long id = 1; id <= 5; id++) {
            t.get(id).maybeUpdate(match[(int) id]);
        }
        assertThat(t.committed()).as("outgoing half holds it back").isEqualTo(4);
        t.get(4).maybeUpdate(9);
        assertThat(t.committed()).isEqualTo(6);
        t.get(5).maybeUpdate(10);
        assertThat(t.committed()).as("now the incoming half holds it back").isEqualTo(8);
    }

    @Test
    @DisplayName("a voter without progress counts as having nothing")
    void voterWithoutProgress() {
        ProgressTracker t = new ProgressTracker(8, 0);
        TreeMap<Long, Progress> progress = new TreeMap<>();
        progress.put(1L, new Progress(9, 10, t.newInflights(), false));
        t.install(new TrackerConfig(JointConfig.simple(MajorityConfig.of(1, 2)), new TreeSet<>(), new TreeSet<>(), false), progress);
        assertThat(t.committed()).isZero();
    }

    @Test
    @DisplayName("quorumActive: the leader counts itself; each half needs a recently active majority")
    void quorumActive() {
        ProgressTracker t = tracker(ids(1, 2, 3), ids());
        assertThat(t.quorumActive(1)).isFalse();
        t.get(2).setRecentActive(true);
        assertThat(t.quorumActive(1)).isTrue();
        // A learner's activity does not help.
        ProgressTracker withLearner = tracker(ids(1, 2, 3), ids(), 4);
        withLearner.get(4).setRecentActive(true);
        assertThat(withLearner.quorumActive(1)).isFalse();

        ProgressTracker joint = tracker(ids(1, 2, 3), ids(1, 4, 5));
        joint.get(2).setRecentActive(true);
        assertThat(joint.quorumActive(1)).as("outgoing half has only the leader").isFalse();
        joint.get(5).setRecentActive(true);
        assertThat(joint.quorumActive(1)).isTrue();
    }

    @Test
    @DisplayName("vote tally: first answer per voter counts, non-voters are ignored (§5.2)")
    void voteTally() {
        ProgressTracker t = tracker(ids(1, 2, 3, 4, 5), ids(), 6);
        t.recordVote(1, true);
        t.recordVote(6, true); // a learner's vote
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.PENDING);
        t.recordVote(2, true);
        t.recordVote(2, false); // a second answer from the same voter is ignored
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.PENDING);
        t.recordVote(3, false);
        t.recordVote(4, false);
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.PENDING);
        t.recordVote(5, false);
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.LOST);
        assertThat(t.grantedVotes()).isEqualTo(3);
        assertThat(t.rejectedVotes()).isEqualTo(3);

        t.resetVotes();
        assertThat(t.grantedVotes()).isZero();
        t.recordVote(1, true);
        t.recordVote(3, true);
        t.recordVote(5, true);
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.WON);
    }

    @Test
    @DisplayName("a joint election is won only with a majority of both halves (thesis §4.3)")
    void jointVoteTally() {
        ProgressTracker t = tracker(ids(1, 2, 3), ids(3, 4, 5));
        t.recordVote(1, true);
        t.recordVote(2, true);
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.PENDING);
        t.recordVote(4, false);
        t.recordVote(5, false);
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.LOST);
        t.resetVotes();
        t.recordVote(1, true);
        t.recordVote(3, true);
        t.recordVote(4, true);
        assertThat(t.tallyVotes()).isEqualTo(VoteResult.WON);
    }

    @Test
    @DisplayName("install derives each member's learner flag from the configuration")
    void installSetsLearnerFlags() {
        ProgressTracker t = tracker(ids(1, 2), ids(), 3);
        assertThat(t.get(3).isLearner()).isTrue();
        assertThat(t.get(1).isLearner()).isFalse();
        assertThat(t.progress().keySet()).containsExactly(1L, 2L, 3L);
        java.util.List<Long> visited = new java.util.ArrayList<>();
        t.forEach((id, p) -> visited.add(id));
        assertThat(visited).as("ascending id order").containsExactly(1L, 2L, 3L);
    }

    @Test
    @DisplayName("isSingleVoter only for a simple configuration of exactly that voter")
    void singleVoter() {
        assertThat(tracker(ids(1), ids(), 2).isSingleVoter(1)).isTrue();
        assertThat(tracker(ids(1), ids(), 2).isSingleVoter(2)).isFalse();
        assertThat(tracker(ids(1, 2), ids()).isSingleVoter(1)).isFalse();
        assertThat(tracker(ids(1), ids(1, 2)).isSingleVoter(1)).isFalse();
    }
}
