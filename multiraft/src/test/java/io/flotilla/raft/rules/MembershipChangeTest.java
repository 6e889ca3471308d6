package io.flotilla.raft.rules;

import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.Raft;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.tracker.TrackerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flotilla.raft.message.ConfChangeSingle.addLearner;
import static io.flotilla.raft.message.ConfChangeSingle.addVoter;
import static io.flotilla.raft.message.ConfChangeSingle.remove;
import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static io.flotilla.raft.rules.Fixtures.tickAndStabilize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One-at-a-time membership changes (thesis §4.1): proposed as log entries, in force once the
 * host applies them; learners (thesis §4.2.1) replicate but neither vote nor count.
 */
class MembershipChangeTest {

    /** Voters 1..3 led by 1, plus an idle replica 4 that knows the group's initial configuration. */
    private static TestCluster threePlusSpare() {
        TestCluster c = TestCluster.of(3);
        c.add(4, MemoryLogStorage.withVoters(1, 2, 3), DEFAULTS);
        c.elect(1);
        return c;
    }

    private static void change(TestCluster c, long leader, ConfChange cc) {
        c.node(leader).node().proposeConfChange(cc);
        c.stabilize();
    }

    private static TrackerConfig config(TestCluster c, long id) {
        return c.node(id).node().raft().tracker().config();
    }

    @Test
    @DisplayName("thesis §4.1: a voter added through a committed, applied entry catches up and counts toward the quorum")
    void addedVoterCatchesUpAndCounts() {
        TestCluster c = threePlusSpare();
        assertThat(c.node(4).node().raft().tracker().get(4)).as("not a member yet").isNull();
        change(c, 1, ConfChange.of(addVoter(4)));
        for (long id = 1; id <= 4; id++) {
            assertThat(config(c, id).voters().ids()).as("config of %d", id).containsExactly(1L, 2L, 3L, 4L);
            assertThat(c.node(id).confState().voters()).containsExactly(1L, 2L, 3L, 4L);
        }
        assertThat(c.node(4).node().raft().log().lastIndex()).isEqualTo(c.node(1).node().raft().log().lastIndex());

        // Four voters need three: the leader and one follower are not enough.
        c.isolate(3);
        c.isolate(4);
        long committed = c.node(1).node().raft().log().committed();
        c.propose(1, "needs-three");
        c.stabilize();
        assertThat(c.node(1).node().raft().log().committed()).isEqualTo(committed);
        c.heal();
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.node(4).appliedData()).containsExactly("needs-three");
    }

    @Test
    @DisplayName("thesis §4.1: a removed voter no longer counts: two remaining voters commit on their own")
    void removedVoterNoLongerCounts() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        change(c, 1, ConfChange.of(remove(3)));
        assertThat(config(c, 1).voters().ids()).containsExactly(1L, 2L);
        assertThat(config(c, 2).voters().ids()).containsExactly(1L, 2L);
        assertThat(c.node(1).node().raft().tracker().get(3)).isNull();

        c.isolate(3);
        c.propose(1, "two-of-two");
        c.stabilize();
        assertThat(c.node(2).appliedData()).containsExactly("two-of-two");
        c.isolate(2);
        long committed = c.node(1).node().raft().log().committed();
        c.propose(1, "one-of-two");
        c.stabilize();
        assertThat(c.node(1).node().raft().log().committed()).isEqualTo(committed);
    }

    @Test
    @DisplayName("thesis §4.2.1: a learner receives and applies the log but does not count toward commit")
    void learnerReplicatesButDoesNotCount() {
        TestCluster c = threePlusSpare();
        change(c, 1, ConfChange.of(addLearner(4)));
        assertThat(config(c, 1).voters().ids()).containsExactly(1L, 2L, 3L);
        assertThat(config(c, 1).learners()).containsExactly(4L);
        assertThat(c.node(4).node().raft().isLearner()).isTrue();

        c.propose(1, "to-all");
        c.stabilize();
        assertThat(c.node(4).appliedData()).containsExactly("to-all");

        c.isolate(2);
        c.isolate(3);
        long committed = c.node(1).node().raft().log().committed();
        c.propose(1, "leader-and-learner");
        c.stabilize();
        assertThat(c.node(1).node().raft().tracker().get(4).match())
                .isEqualTo(c.node(1).node().raft().log().lastIndex());
        assertThat(c.node(1).node().raft().log().committed()).as("a learner's copy does not count").isEqualTo(committed);
    }

    @Test
    @DisplayName("thesis §4.2.1: a learner is never asked for a vote, its grant does not count, and it never campaigns")
    void learnerNeverVotes() {
        TestCluster c = threePlusSpare();
        change(c, 1, ConfChange.of(addLearner(4)));
        // Every voter knows the learner; a candidate asks only voters.
        c.isolate(1);
        Raft two = c.node(2).node().raft();
        while (two.role() != StateRole.PRE_CANDIDATE) {
            c.tick(2, 1);
        }
        List<Message> asked = drain(c.node(2));
        assertThat(asked).filteredOn(m -> m.type().isVoteRequest()).extracting(Message::to)
                .containsExactlyInAnyOrder(1L, 3L);
        c.node(2).node().step(Fixtures.voteResponse(MessageType.PRE_VOTE_RESPONSE, 4, 2, two.term() + 1, true));
        assertThat(two.role()).as("the learner's grant is not a vote").isEqualTo(StateRole.PRE_CANDIDATE);

        c.tick(4, 10 * c.node(4).config().electionTick());
        c.node(4).node().campaign();
        assertThat(c.node(4).node().raft().role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(ofType(drain(c.node(4)), MessageType.PRE_VOTE)).isEmpty();
    }

    @Test
    @DisplayName("thesis §4.2.1: a learner promoted to voter counts from then on")
    void promoteLearner() {
        TestCluster c = threePlusSpare();
        change(c, 1, ConfChange.of(addLearner(4)));
        change(c, 1, ConfChange.of(addVoter(4)));
        for (long id = 1; id <= 4; id++) {
            assertThat(config(c, id).voters().ids()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(config(c, id).learners()).isEmpty();
        }
        assertThat(c.node(4).node().raft().isLearner()).isFalse();
    }

    @Test
    @DisplayName("thesis §4.2.1: a removed learner is no longer tracked or replicated to")
    void removeLearner() {
        TestCluster c = threePlusSpare();
        change(c, 1, ConfChange.of(addLearner(4)));
        change(c, 1, ConfChange.of(remove(4)));
        assertThat(config(c, 1).learners()).isEmpty();
        assertThat(c.node(1).node().raft().tracker().get(4)).isNull();
        c.propose(1, "not-for-4");
        List<Message> sent = stabilize(c);
        assertThat(sent).noneMatch(m -> m.to() == 4);
        assertThat(c.node(4).appliedData()).doesNotContain("not-for-4");
    }

    @Test
    @DisplayName("thesis §4.1: one membership change at a time: a second proposal before the first applies is refused")
    void oneChangeAtATime() {
        TestCluster c = threePlusSpare();
        c.node(1).node().proposeConfChange(ConfChange.of(addLearner(4)));
        assertThatThrownBy(() -> c.node(1).node().proposeConfChange(ConfChange.of(addLearner(5))))
                .isInstanceOfSatisfying(ProposalDroppedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProposalDroppedException.Reason.CONF_CHANGE_REFUSED));
        c.stabilize();
        // Applied: the next change is welcome.
        change(c, 1, ConfChange.of(addVoter(4)));
        assertThat(config(c, 1).voters().ids()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    @DisplayName("thesis §4.1: two conf changes in one batch are refused together")
    void twoChangesInOneBatchRefused() {
        TestCluster c = threePlusSpare();
        long last = c.node(1).node().raft().log().lastIndex();
        assertThatThrownBy(() -> c.node(1).node().propose(List.of(ConfChange.of(addLearner(4)).toEntry(),
                ConfChange.of(addLearner(5)).toEntry())))
                .isInstanceOfSatisfying(ProposalDroppedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProposalDroppedException.Reason.CONF_CHANGE_REFUSED));
        assertThat(c.node(1).node().raft().log().lastIndex()).isEqualTo(last);
    }

    @Test
    @DisplayName("thesis §4.2.2: a leader that removes itself stops leading once the change applies; the rest elect a leader")
    void removedLeaderStepsDown() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        change(c, 1, ConfChange.of(remove(1)));
        assertThat(config(c, 1).voters().ids()).containsExactly(2L, 3L);
        assertThat(config(c, 2).voters().ids()).containsExactly(2L, 3L);

        tickAndStabilize(c, 60);
        Raft one = c.node(1).node().raft();
        assertThat(one.role()).as("the removed leader no longer leads, and never campaigns")
                .isEqualTo(StateRole.FOLLOWER);
        assertThat(c.leader()).isIn(2L, 3L);
        long leader = c.leader();
        c.propose(leader, "after");
        stabilize(c);
        assertThat(c.node(2).appliedData()).containsExactly("after");
        assertThat(c.node(3).appliedData()).containsExactly("after");
        assertThat(c.node(1).appliedData()).as("no longer replicated to").isEmpty();
    }
}
