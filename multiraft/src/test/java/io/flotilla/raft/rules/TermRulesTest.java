package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.PLAIN;
import static io.flotilla.raft.rules.Fixtures.append;
import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.entries;
import static io.flotilla.raft.rules.Fixtures.heartbeat;
import static io.flotilla.raft.rules.Fixtures.ids;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.preVote;
import static io.flotilla.raft.rules.Fixtures.replica;
import static io.flotilla.raft.rules.Fixtures.snapshot;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static io.flotilla.raft.rules.Fixtures.storage;
import static io.flotilla.raft.rules.Fixtures.vote;
import static io.flotilla.raft.rules.Fixtures.voteResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Term rules applied to every message before the role sees it (Raft paper §5.1: "if RPC
 * request or response contains term T > currentTerm: set currentTerm = T, convert to
 * follower"; thesis §9.6 for pre-votes; thesis §6.2/§9.6 for stale terms with check-quorum).
 */
class TermRulesTest {

    /** Replica 2 of {1,2,3} at term 2 with log 1@1. */
    private static TestNode atTerm2(Consumer<RaftConfig.Builder> cfg) {
        return replica(2, storage(ids(1, 2, 3), 2, 0, 1), cfg);
    }

    @Test
    @DisplayName("§5.1: a higher-term append makes a node follower of the sender in that term")
    void higherTermAppendMakesFollowerKnowingLeader() {
        TestNode n = atTerm2(DEFAULTS);
        n.node().step(append(1, 2, 5, 1, 1, 0, List.of()));
        assertFollowerOf(n.node().raft(), 5, 1);
    }

    @Test
    @DisplayName("§5.1: a higher-term heartbeat makes a node follower of the sender in that term")
    void higherTermHeartbeatMakesFollowerKnowingLeader() {
        TestNode n = atTerm2(DEFAULTS);
        n.node().step(heartbeat(1, 2, 5, 0));
        assertFollowerOf(n.node().raft(), 5, 1);
    }

    @Test
    @DisplayName("§5.1: a higher-term snapshot makes a node follower of the sender in that term")
    void higherTermSnapshotMakesFollowerKnowingLeader() {
        TestNode n = atTerm2(DEFAULTS);
        n.node().step(snapshot(1, 2, 5, 4, 3, 1, 2, 3));
        assertFollowerOf(n.node().raft(), 5, 1);
    }

    @Test
    @DisplayName("§5.1: a higher-term vote request makes a node follower in that term, with no known leader")
    void higherTermVoteMakesFollowerWithoutLeader() {
        TestNode n = replica(1, storage(ids(1, 2, 3), 2, 0, 1), PLAIN);
        n.node().campaign(); // candidate at term 3
        drain(n);
        n.node().step(vote(3, 1, 7, 1, 1));
        assertFollowerOf(n.node().raft(), 7, 0);
        assertThat(n.node().raft().vote()).isEqualTo(3);
    }

    @Test
    @DisplayName("§5.1: a leader that sees a higher term in a response steps down")
    void leaderStepsDownOnHigherTermResponse() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft r = c.node(1).node().raft();
        long term = r.term();
        c.node(1).node().step(Message.builder(MessageType.HEARTBEAT_RESPONSE).from(2).to(1).term(term + 3).build());
        assertFollowerOf(r, term + 3, 0);
    }

    @Test
    @DisplayName("thesis §9.6: a pre-vote for a future term changes no term, and is answered at the request's term")
    void preVoteForFutureTermChangesNoTerm() {
        TestNode n = atTerm2(DEFAULTS);
        n.node().step(preVote(3, 2, 5, 1, 1));
        Raft r = n.node().raft();
        assertThat(r.term()).isEqualTo(2);
        assertThat(r.vote()).isZero();
        List<Message> sent = drain(n);
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PRE_VOTE_RESPONSE);
            assertThat(m.reject()).isFalse();
            assertThat(m.term()).isEqualTo(5);
        });
        assertThat(n.storage().hardState().term()).isEqualTo(2);
    }

    @Test
    @DisplayName("thesis §9.6: a granted pre-vote carries the future term but does not raise the pre-candidate's term")
    void grantedPreVoteResponseChangesNoTerm() {
        TestNode n = replica(1, storage(ids(1, 2, 3, 4, 5), 2, 0, 1), DEFAULTS);
        n.node().campaign();
        drain(n);
        Raft r = n.node().raft();
        n.node().step(voteResponse(MessageType.PRE_VOTE_RESPONSE, 2, 1, 3, true));
        assertThat(r.role()).isEqualTo(StateRole.PRE_CANDIDATE);
        assertThat(r.term()).isEqualTo(2);
        // A rejection from a node at a higher term does raise it: the pre-candidate falls back.
        n.node().step(voteResponse(MessageType.PRE_VOTE_RESPONSE, 3, 1, 4, false));
        assertFollowerOf(r, 4, 0);
    }

    @Test
    @DisplayName("§5.1: with check-quorum, a stale-term append or heartbeat is answered at the current term")
    void staleAppendIsAnsweredWithCurrentTerm() {
        TestNode n = atTerm2(DEFAULTS);
        n.node().step(append(1, 2, 1, 1, 1, 0, entries(2, 1)));
        n.node().step(heartbeat(1, 2, 1, 0));
        Raft r = n.node().raft();
        assertThat(r.term()).isEqualTo(2);
        assertThat(r.lead()).isZero();
        assertThat(r.log().lastIndex()).as("a stale leader's entries are not taken").isEqualTo(1);
        List<Message> sent = drain(n);
        assertThat(sent).hasSize(2).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APPEND_RESPONSE);
            assertThat(m.term()).isEqualTo(2);
            assertThat(m.to()).isEqualTo(1);
        });
    }

    @Test
    @DisplayName("§5.1: a stale-term pre-vote is rejected at the current term; a stale vote request is ignored")
    void stalePreVoteRejectedStaleVoteIgnored() {
        TestNode n = atTerm2(DEFAULTS);
        n.node().step(preVote(3, 2, 1, 9, 1)); // a pre-candidate still at term 0 asks for term 1
        n.node().step(vote(3, 2, 1, 9, 1));
        Raft r = n.node().raft();
        assertThat(r.term()).isEqualTo(2);
        assertThat(r.vote()).isZero();
        List<Message> sent = drain(n);
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PRE_VOTE_RESPONSE);
            assertThat(m.reject()).isTrue();
            assertThat(m.term()).isEqualTo(2);
        });
    }

    @Test
    @DisplayName("§5.1, Figure 2: stale-term requests are refused with our term and change nothing, even in plain Raft")
    void staleRequestsAreRefusedWithOurTermInPlainRaft() {
        // etcd/raft ignores them without check-quorum or pre-vote; answering (as Figure 2 says)
        // lets a stale leader or candidate learn the term even when nobody would ask it for a vote
        // (a replica lagging behind a membership change), which the simulation showed can deadlock.
        TestNode n = atTerm2(PLAIN);
        n.node().step(append(1, 2, 1, 1, 1, 0, entries(2, 1)));
        n.node().step(heartbeat(1, 2, 1, 0));
        n.node().step(vote(3, 2, 1, 9, 1));
        assertThat(n.node().raft().term()).isEqualTo(2);
        assertThat(n.node().raft().log().lastIndex()).isEqualTo(1);
        List<Message> sent = drain(n);
        assertThat(sent).extracting(Message::type).containsExactly(MessageType.APPEND_RESPONSE,
                MessageType.APPEND_RESPONSE, MessageType.VOTE_RESPONSE);
        assertThat(sent).allSatisfy(m -> assertThat(m.term()).isEqualTo(2));
        assertThat(sent.get(2).reject()).as("the stale vote is refused").isTrue();
    }

    @Test
    @DisplayName("thesis §6.2: a rejoining node with an inflated term cannot block the cluster (check-quorum, no pre-vote)")
    void inflatedTermDoesNotBlockCluster() {
        TestCluster c = TestCluster.of(3, b -> b.checkQuorum(true).preVote(false));
        c.elect(1);
        c.isolate(3);
        c.propose(1, "while-3-away");
        c.stabilize();
        for (int i = 0; i < 100; i++) {
            c.tick(3, 1); // node 3 campaigns again and again, alone
        }
        c.stabilize();
        long inflated = c.node(3).node().raft().term();
        assertThat(inflated).isGreaterThan(c.node(1).node().raft().term() + 3);

        c.heal();
        Fixtures.tickAndStabilize(c, 100);
        long leader = c.leader();
        assertThat(leader).as("a leader exists again").isIn(1L, 2L);
        assertThat(c.node(leader).node().raft().term()).isGreaterThanOrEqualTo(inflated);
        c.propose(leader, "after");
        stabilize(c);
        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).appliedData()).containsExactly("while-3-away", "after");
        }
    }

    @Test
    @DisplayName("thesis §9.6: with pre-vote a partitioned node does not inflate its term, and rejoins without disruption")
    void preVoteKeepsPartitionedNodeTerm() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        long term = c.node(1).node().raft().term();
        c.isolate(3);
        for (int i = 0; i < 100; i++) {
            c.tick(3, 1);
            c.tick(1, 1);
            c.stabilize();
        }
        assertThat(c.node(3).node().raft().term()).isEqualTo(term);
        c.heal();
        List<Message> sent = Fixtures.tickAndStabilize(c, 30);
        assertThat(c.leader()).isEqualTo(1);
        assertThat(c.node(1).node().raft().term()).isEqualTo(term);
        assertThat(c.node(3).node().raft().role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(ofType(sent, MessageType.VOTE)).isEmpty();
    }

    private static void assertFollowerOf(Raft r, long term, long leader) {
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.term()).isEqualTo(term);
        assertThat(r.lead()).isEqualTo(leader);
    }
}
