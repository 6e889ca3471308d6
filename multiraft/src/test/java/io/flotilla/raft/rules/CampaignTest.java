package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.Ready;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.PLAIN;
import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.ids;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.replica;
import static io.flotilla.raft.rules.Fixtures.storage;
import static org.assertj.core.api.Assertions.assertThat;

/** The three kinds of campaign: pre-election (thesis §9.6), election (paper §5.2), transfer (thesis §3.10). */
class CampaignTest {

    @Test
    @DisplayName("thesis §9.6: a pre-candidate keeps its term and vote and asks for term+1 with its last index and term")
    void preCandidateKeepsTermAndVote() {
        // Term 3, voted for 2 in it; log: 1@1, 2@1, 3@3.
        TestNode n = replica(1, storage(ids(1, 2, 3), 3, 2, 1, 1, 3), DEFAULTS);
        n.node().campaign();
        Raft r = n.node().raft();
        assertThat(r.role()).isEqualTo(StateRole.PRE_CANDIDATE);
        assertThat(r.term()).isEqualTo(3);
        assertThat(r.vote()).isEqualTo(2);

        Ready rd = n.node().ready();
        assertThat(rd.hardState()).as("nothing to persist").isNull();
        assertThat(rd.mustSync()).isFalse();
        assertThat(rd.messagesAfterPersist()).isEmpty();
        assertThat(rd.messages()).hasSize(2).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PRE_VOTE);
            assertThat(m.term()).isEqualTo(4);
            assertThat(m.index()).isEqualTo(3);
            assertThat(m.logTerm()).isEqualTo(3);
            assertThat(m.isTransferCampaign()).isFalse();
        });
        assertThat(rd.messages()).extracting(Message::to).containsExactlyInAnyOrder(2L, 3L);
        n.node().advance(rd);
    }

    @Test
    @DisplayName("§5.2: a candidate increments its term, votes for itself, persists that, then asks every voter")
    void candidatePersistsSelfVoteBeforeAsking() {
        TestNode n = replica(1, storage(ids(1, 2, 3), 3, 2, 1, 1, 3), PLAIN);
        n.node().campaign();
        Raft r = n.node().raft();
        assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
        assertThat(r.term()).isEqualTo(4);
        assertThat(r.vote()).isEqualTo(1);

        Ready rd = n.node().ready();
        assertThat(rd.hardState().term()).isEqualTo(4);
        assertThat(rd.hardState().vote()).isEqualTo(1);
        assertThat(rd.mustSync()).isTrue();
        assertThat(rd.messages()).as("a vote request claims a durable self-vote").isEmpty();
        assertThat(rd.messagesAfterPersist()).hasSize(2).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo(MessageType.VOTE);
            assertThat(m.term()).isEqualTo(4);
            assertThat(m.index()).isEqualTo(3);
            assertThat(m.logTerm()).isEqualTo(3);
        });
        n.node().advance(rd);
    }

    @ParameterizedTest(name = "preVote={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a single-voter group wins its election on its own (durable) vote, without any message")
    void singleVoterWinsAlone(boolean preVote) {
        TestNode n = replica(1, storage(ids(1), 0, 0), b -> b.preVote(preVote));
        n.node().campaign();
        List<Message> sent = drain(n); // persisting the self-vote is all it waits for
        Raft r = n.node().raft();
        assertThat(sent).isEmpty();
        assertThat(r.role()).isEqualTo(StateRole.LEADER);
        assertThat(r.term()).isEqualTo(1);
        assertThat(r.vote()).isEqualTo(1);
        assertThat(r.lead()).isEqualTo(1);
        assertThat(n.storage().hardState().vote()).isEqualTo(1);
        assertThat(r.log().committed()).as("its empty entry commits alone").isEqualTo(1);
    }

    @Test
    @DisplayName("thesis §9.6: a won pre-election starts the real election at term+1")
    void wonPreElectionStartsRealElection() {
        TestCluster c = TestCluster.of(3);
        Raft r = c.node(1).node().raft();
        c.campaign(1);
        c.processReady();
        assertThat(c.inFlight()).extracting(Message::type).containsOnly(MessageType.PRE_VOTE);
        c.deliverAll();
        c.processReady();
        assertThat(c.inFlight()).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PRE_VOTE_RESPONSE);
            assertThat(m.reject()).isFalse();
            assertThat(m.term()).isEqualTo(1);
        });
        assertThat(c.node(2).node().raft().term()).as("granting a pre-vote changes no term").isZero();
        c.deliverAll();

        assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
        assertThat(r.term()).isEqualTo(1);
        assertThat(r.vote()).isEqualTo(1);
        c.processReady();
        List<Message> votes = ofType(c.inFlight(), MessageType.VOTE);
        assertThat(votes).extracting(Message::to).containsExactlyInAnyOrder(2L, 3L);
        assertThat(votes).allSatisfy(m -> assertThat(m.term()).isEqualTo(1));

        c.stabilize();
        assertThat(r.role()).isEqualTo(StateRole.LEADER);
        assertThat(r.term()).isEqualTo(1);
    }

    @Test
    @DisplayName("thesis §3.10: TimeoutNow starts a transfer campaign: no pre-vote, term+1 at once, marked as transfer")
    void transferCampaignSkipsPreVote() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        long term = c.node(1).node().raft().term();
        c.node(2).node().step(Message.builder(MessageType.TIMEOUT_NOW).from(1).to(2).term(term).build());
        Raft r = c.node(2).node().raft();
        assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
        assertThat(r.term()).isEqualTo(term + 1);
        List<Message> sent = drain(c.node(2));
        assertThat(ofType(sent, MessageType.PRE_VOTE)).isEmpty();
        assertThat(ofType(sent, MessageType.VOTE)).hasSize(2)
                .allSatisfy(m -> assertThat(m.isTransferCampaign()).isTrue());
    }
}
