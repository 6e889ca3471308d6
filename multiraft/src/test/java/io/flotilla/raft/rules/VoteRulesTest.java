package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.Ready;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.heartbeat;
import static io.flotilla.raft.rules.Fixtures.ids;
import static io.flotilla.raft.rules.Fixtures.preVote;
import static io.flotilla.raft.rules.Fixtures.replica;
import static io.flotilla.raft.rules.Fixtures.storage;
import static io.flotilla.raft.rules.Fixtures.vote;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whom a replica votes for (Raft paper §5.2 one vote per term, §5.4.1 election restriction;
 * thesis §9.6 pre-vote), and what a vote costs: a real vote is durable before it is sent.
 */
class VoteRulesTest {

    /** Replica 1 of {1,2,3} at {@code term} having voted for {@code votedFor}; log 1@1, 2@2. */
    private static TestNode voter(long term, long votedFor) {
        return replica(1, storage(ids(1, 2, 3), term, votedFor, 1, 2), DEFAULTS);
    }

    /** The single vote response the node sent. */
    private static Message answer(TestNode n) {
        List<Message> sent = drain(n);
        assertThat(sent).hasSize(1);
        Message m = sent.get(0);
        assertThat(m.type()).isIn(MessageType.VOTE_RESPONSE, MessageType.PRE_VOTE_RESPONSE);
        return m;
    }

    @Test
    @DisplayName("§5.2: a repeated request from the candidate already voted for is granted again")
    void grantsRepeatOfOwnVote() {
        TestNode n = voter(2, 3);
        n.node().step(vote(3, 1, 2, 2, 2));
        assertThat(answer(n).reject()).isFalse();
        assertThat(n.node().raft().vote()).isEqualTo(3);
    }

    @Test
    @DisplayName("§5.2: at most one vote per term: a second candidate in the same term is refused")
    void refusesSecondCandidateInTerm() {
        TestNode n = voter(2, 2);
        n.node().step(vote(3, 1, 2, 2, 2));
        Message m = answer(n);
        assertThat(m.reject()).isTrue();
        assertThat(m.term()).isEqualTo(2);
        assertThat(n.node().raft().vote()).isEqualTo(2);
    }

    @Test
    @DisplayName("§5.2: with no vote and no known leader in the term, an up-to-date candidate gets the vote")
    void grantsWhenNoVoteAndNoLeader() {
        TestNode n = voter(2, 0);
        n.node().step(vote(3, 1, 2, 2, 2));
        assertThat(answer(n).reject()).isFalse();
        assertThat(n.node().raft().vote()).isEqualTo(3);
    }

    @Test
    @DisplayName("§5.2: a node that knows a leader in the term does not vote in it, even without having voted")
    void refusesWhenLeaderKnownInTerm() {
        TestNode n = voter(2, 0);
        n.node().step(heartbeat(2, 1, 2, 0));
        drain(n);
        assertThat(n.node().raft().lead()).isEqualTo(2);
        n.node().step(vote(3, 1, 2, 2, 2));
        assertThat(answer(n).reject()).isTrue();
        assertThat(n.node().raft().vote()).isZero();
    }

    @Test
    @DisplayName("thesis §9.6: a pre-vote for a future term is granted despite a vote in the current term")
    void preVoteForFutureTermIgnoresCurrentVote() {
        TestNode n = voter(2, 2);
        n.node().step(preVote(3, 1, 3, 2, 2));
        Message m = answer(n);
        assertThat(m.reject()).isFalse();
        assertThat(m.term()).as("a pre-vote response carries the request's term").isEqualTo(3);
        assertThat(n.node().raft().vote()).isEqualTo(2);
    }

    @Test
    @DisplayName("thesis §9.6: a pre-vote for the current term follows the one-vote rule")
    void preVoteForCurrentTermFollowsVoteRule() {
        TestNode n = voter(2, 2);
        n.node().step(preVote(3, 1, 2, 2, 2));
        Message m = answer(n);
        assertThat(m.reject()).isTrue();
        assertThat(m.term()).isEqualTo(2);
    }

    /** The voter's log is 1@1, 2@2: last term 2, last index 2. */
    @ParameterizedTest(name = "{0} from candidate with last entry {2}@{1}: granted={3}")
    @CsvSource({
            "VOTE,     1, 3, true",   // later last term wins though shorter
            "VOTE,     2, 2, true",   // identical
            "VOTE,     5, 2, true",   // same last term, longer
            "VOTE,     1, 2, false",  // same last term, shorter
            "VOTE,     9, 1, false",  // longer but older last term
            "PRE_VOTE, 1, 3, true",
            "PRE_VOTE, 2, 2, true",
            "PRE_VOTE, 5, 2, true",
            "PRE_VOTE, 1, 2, false",
            "PRE_VOTE, 9, 1, false",
    })
    @DisplayName("§5.4.1: votes only for a candidate whose log is at least as up to date (last term, then last index)")
    void electionRestriction(MessageType type, long lastIndex, long lastTerm, boolean granted) {
        TestNode n = voter(2, 0);
        Message req = type == MessageType.VOTE ? vote(3, 1, 3, lastIndex, lastTerm)
                : preVote(3, 1, 3, lastIndex, lastTerm);
        n.node().step(req);
        Message m = answer(n);
        assertThat(m.type()).isEqualTo(type.voteResponse());
        assertThat(m.reject()).isEqualTo(!granted);
        assertThat(n.node().raft().vote()).isEqualTo(granted && type == MessageType.VOTE ? 3 : 0);
    }

    @Test
    @DisplayName("§5.1/thesis §3.8: a granted vote is in the Ready's hard state and is sent only after persisting")
    void grantedVoteIsPersistedBeforeSent() {
        TestNode n = voter(2, 0);
        n.node().step(vote(3, 1, 3, 2, 2));
        Ready rd = n.node().ready();
        assertThat(rd.hardState()).isNotNull();
        assertThat(rd.hardState().term()).isEqualTo(3);
        assertThat(rd.hardState().vote()).isEqualTo(3);
        assertThat(rd.mustSync()).isTrue();
        assertThat(rd.messages()).noneMatch(m -> m.type() == MessageType.VOTE_RESPONSE);
        assertThat(rd.messagesAfterPersist()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.VOTE_RESPONSE);
            assertThat(m.reject()).isFalse();
            assertThat(m.to()).isEqualTo(3);
        });
        n.node().advance(rd);
    }

    @Test
    @DisplayName("§5.2: granting a vote resets the election timer")
    void grantingVoteResetsElectionTimer() {
        TestNode n = voter(2, 0);
        Raft r = n.node().raft();
        for (int i = 0; i < 7; i++) {
            n.node().tick();
        }
        assertThat(r.electionElapsed()).isEqualTo(7);
        n.node().step(vote(3, 1, 2, 2, 2));
        assertThat(answer(n).reject()).isFalse();
        assertThat(r.electionElapsed()).isZero();
    }

    @Test
    @DisplayName("thesis §9.6: granting a pre-vote changes nothing: no hard state, no timer reset, sent at once")
    void grantingPreVoteChangesNothing() {
        TestNode n = voter(2, 0);
        Raft r = n.node().raft();
        for (int i = 0; i < 7; i++) {
            n.node().tick();
        }
        n.node().step(preVote(3, 1, 3, 2, 2));
        assertThat(r.term()).isEqualTo(2);
        assertThat(r.vote()).isZero();
        assertThat(r.electionElapsed()).isEqualTo(7);
        Ready rd = n.node().ready();
        assertThat(rd.hardState()).isNull();
        assertThat(rd.mustSync()).isFalse();
        assertThat(rd.messagesAfterPersist()).isEmpty();
        assertThat(rd.messages()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PRE_VOTE_RESPONSE);
            assertThat(m.reject()).isFalse();
            assertThat(m.term()).isEqualTo(3);
        });
        n.node().advance(rd);
    }

    @Test
    @DisplayName("thesis §9.6: a rejected pre-vote carries the voter's own term, so the pre-candidate can catch up")
    void rejectedPreVoteCarriesVoterTerm() {
        TestNode n = voter(6, 0);
        n.node().step(preVote(3, 1, 7, 1, 1)); // log too old
        Message m = answer(n);
        assertThat(m.reject()).isTrue();
        assertThat(m.term()).isEqualTo(6);
    }
}
