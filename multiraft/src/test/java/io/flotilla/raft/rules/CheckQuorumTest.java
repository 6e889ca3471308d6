package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.preVote;
import static io.flotilla.raft.rules.Fixtures.tickAndStabilize;
import static io.flotilla.raft.rules.Fixtures.vote;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Check-quorum (thesis §6.2): a leader that has not heard from a quorum within an election
 * timeout steps down; and the matching lease (thesis §4.2.3): a follower that heard from a
 * leader within the election timeout ignores (pre-)vote requests, except a leader transfer's.
 */
class CheckQuorumTest {
    private static final int ELECTION = 10;

    @Test
    @DisplayName("thesis §6.2: a leader cut off from a quorum for an election timeout steps down")
    void isolatedLeaderStepsDown() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft r = c.node(1).node().raft();
        long term = r.term();
        c.isolate(1);
        tickLeaderAlone(c, 2 * ELECTION);
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.term()).as("stepping down needs no new term").isEqualTo(term);
        assertThat(r.lead()).isZero();
    }

    @Test
    @DisplayName("thesis §6.2: a leader that hears from a quorum keeps leading (5 nodes, 2 followers reachable)")
    void leaderWithQuorumStays() {
        TestCluster c = TestCluster.of(5);
        c.elect(1);
        c.isolate(4);
        c.isolate(5);
        tickLeaderAlone(c, 10 * ELECTION);
        assertThat(c.node(1).node().raft().role()).isEqualTo(StateRole.LEADER);
    }

    @Test
    @DisplayName("thesis §6.2: a leader reaching only one of four followers steps down")
    void leaderWithoutQuorumStepsDownInFiveNodes() {
        TestCluster c = TestCluster.of(5);
        c.elect(1);
        c.isolate(3);
        c.isolate(4);
        c.isolate(5);
        tickLeaderAlone(c, 2 * ELECTION);
        assertThat(c.node(1).node().raft().role()).isEqualTo(StateRole.FOLLOWER);
    }

    @Test
    @DisplayName("without check-quorum an isolated leader stays leader")
    void noCheckQuorumNoStepDown() {
        TestCluster c = TestCluster.of(3, b -> b.checkQuorum(false));
        c.elect(1);
        c.isolate(1);
        tickLeaderAlone(c, 5 * ELECTION);
        assertThat(c.node(1).node().raft().role()).isEqualTo(StateRole.LEADER);
    }

    @Test
    @DisplayName("thesis §4.2.3: a follower that heard from its leader within the timeout ignores higher-term (pre-)votes")
    void followerInLeaseIgnoresVotes() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft f = c.node(2).node().raft();
        long term = f.term();
        long last = f.log().lastIndex();
        c.node(2).node().step(vote(3, 2, term + 1, last, term));
        c.node(2).node().step(preVote(3, 2, term + 1, last, term));
        assertThat(f.term()).isEqualTo(term);
        assertThat(f.vote()).isEqualTo(1);
        assertThat(f.lead()).isEqualTo(1);
        assertThat(drain(c.node(2))).as("not even a rejection").isEmpty();
    }

    @Test
    @DisplayName("thesis §4.2.3: once the lease has run out, the follower answers (pre-)votes again")
    void followerOutOfLeaseGrantsVotes() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft f = c.node(2).node().raft();
        long term = f.term();
        long last = f.log().lastIndex();
        c.tick(2, ELECTION);
        drain(c.node(2));
        c.node(2).node().step(preVote(3, 2, term + 1, last, term));
        List<Message> sent = drain(c.node(2));
        assertThat(sent).filteredOn(m -> m.type() == MessageType.PRE_VOTE_RESPONSE).singleElement()
                .satisfies(m -> assertThat(m.reject()).isFalse());
    }

    @Test
    @DisplayName("thesis §3.10: a leader-transfer vote overrides the lease")
    void transferVoteOverridesLease() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft f = c.node(2).node().raft();
        long term = f.term();
        long last = f.log().lastIndex();
        Message transferVote = vote(3, 2, term + 1, last, term).toBuilder().context(Message.TRANSFER_CONTEXT).build();
        c.node(2).node().step(transferVote);
        assertThat(f.term()).isEqualTo(term + 1);
        assertThat(f.vote()).isEqualTo(3);
        assertThat(drain(c.node(2))).filteredOn(m -> m.type() == MessageType.VOTE_RESPONSE).singleElement()
                .satisfies(m -> assertThat(m.reject()).isFalse());
    }

    @Test
    @DisplayName("without check-quorum there is no lease: a higher-term vote is taken at once")
    void noLeaseWithoutCheckQuorum() {
        TestCluster c = TestCluster.of(3, b -> b.checkQuorum(false));
        c.elect(1);
        Raft f = c.node(2).node().raft();
        long term = f.term();
        c.node(2).node().step(vote(3, 2, term + 1, f.log().lastIndex(), term));
        assertThat(f.term()).isEqualTo(term + 1);
        assertThat(f.vote()).isEqualTo(3);
    }

    @Test
    @DisplayName("thesis §4.2.3: a disruptive node cannot unseat a live leader (lease + check-quorum)")
    void disruptiveCandidateDoesNotUnseatLeader() {
        TestCluster c = TestCluster.of(3, b -> b.preVote(false));
        c.elect(1);
        long term = c.node(1).node().raft().term();
        // Node 3 misses heartbeats (one-way loss) and campaigns; the others keep their leader.
        c.dropIf(m -> m.to() == 3 && m.type() == MessageType.HEARTBEAT);
        tickAndStabilize(c, 5 * ELECTION);
        assertThat(c.leader()).isEqualTo(1);
        assertThat(c.node(1).node().raft().term()).isEqualTo(term);
        assertThat(c.node(2).node().raft().term()).isEqualTo(term);
        assertThat(c.node(3).node().raft().term()).isGreaterThan(term);
        assertThat(Set.of(c.node(1).node().raft().role(), c.node(2).node().raft().role()))
                .containsExactlyInAnyOrder(StateRole.LEADER, StateRole.FOLLOWER);
    }

    /** Ticks only the leader (followers stay quiet) and delivers whatever can be delivered. */
    private static void tickLeaderAlone(TestCluster c, int ticks) {
        for (int i = 0; i < ticks; i++) {
            c.tick(1, 1);
            c.stabilize();
        }
    }
}
