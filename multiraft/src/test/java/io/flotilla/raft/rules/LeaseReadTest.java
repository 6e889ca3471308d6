package io.flotilla.raft.rules;

import io.flotilla.raft.RawNode;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.flotilla.raft.rules.Fixtures.ofType;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads under the leader lease (Raft thesis §6.4.1), asked per request: a leader that a quorum
 * of voters answered within the election timeout less a safety margin may serve a read at its
 * commit index without a heartbeat round, because every one of those followers ignores vote
 * requests until its own election timeout runs out (leader stickiness, §4.2.3), so no other
 * leader can exist yet. Otherwise there is no lease and the host takes the ReadIndex path.
 */
class LeaseReadTest {
    /** Ticks by which the lease is taken shorter than the election timeout (10 by default). */
    private static final int MARGIN = 2;

    private static TestCluster ledBy1() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.propose(1, "w");
        c.stabilize();
        return c;
    }

    private static RawNode leader(TestCluster c) {
        return c.node(1).node();
    }

    @Test
    @DisplayName("thesis §6.4.1: a leader a quorum answered within the lease window reads at its commit index, with no round")
    void leaseHolderReadsAtCommitIndexWithoutARound() {
        TestCluster c = ledBy1();
        long commit = leader(c).raft().log().committed();
        assertThat(leader(c).leaseReadIndex(MARGIN)).isEqualTo(commit);
        assertThat(leader(c).hasReady()).as("asking sends nothing and changes nothing").isFalse();
    }

    @Test
    @DisplayName("thesis §6.4.1: answers keep the lease fresh for as long as the leader keeps hearing from a quorum")
    void answersKeepTheLeaseFresh() {
        TestCluster c = ledBy1();
        for (int tick = 0; tick < 30; tick++) {
            c.tickAll(1);
            c.stabilize();
            assertThat(leader(c).leaseReadIndex(MARGIN)).as("after tick " + tick).isNotNegative();
        }
    }

    @Test
    @DisplayName("thesis §6.4.1: the lease ends an election timeout less the margin after the quorum's last answer, while the leader still leads")
    void leaseExpiresBeforeCheckQuorumDeposesTheLeader() {
        TestCluster c = ledBy1();
        c.isolate(1);
        int window = leader(c).raft().config().electionTick() - MARGIN;
        c.tick(1, window - 1);
        c.stabilize();
        assertThat(leader(c).leaseReadIndex(MARGIN)).as("just inside the window").isNotNegative();
        c.tick(1, 1);
        c.stabilize();
        assertThat(leader(c).raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(leader(c).leaseReadIndex(MARGIN)).as("window passed, still leader").isEqualTo(-1);
    }

    @Test
    @DisplayName("thesis §6.4.1: one answering follower of two is a quorum of three voters; none is not")
    void aQuorumOfAnswersIsNeeded() {
        TestCluster c = ledBy1();
        c.cut(1, 3);
        for (int i = 0; i < 20; i++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(leader(c).leaseReadIndex(MARGIN)).as("voters 1 and 2 are a quorum").isNotNegative();
        c.cut(1, 2);
        int window = leader(c).raft().config().electionTick() - MARGIN;
        for (int i = 0; i < window; i++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(leader(c).raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(leader(c).leaseReadIndex(MARGIN)).as("only itself").isEqualTo(-1);
    }

    @Test
    @DisplayName("thesis §6.4 step 1: a new leader holds no lease until an entry of its own term has committed")
    void noLeaseBeforeAnEntryOfTheTermCommits() {
        TestCluster c = TestCluster.of(3);
        c.campaign(1);
        while (leader(c).raft().role() != StateRole.LEADER) {
            c.processReady();
            c.deliverAll();
        }
        assertThat(leader(c).raft().log().committed()).isZero();
        assertThat(leader(c).leaseReadIndex(MARGIN)).isEqualTo(-1);
        c.stabilize();
        assertThat(leader(c).leaseReadIndex(MARGIN)).isEqualTo(leader(c).raft().log().committed());
    }

    @Test
    @DisplayName("thesis §6.4.1: without check-quorum followers keep no lease, so neither does the leader")
    void noLeaseWithoutCheckQuorum() {
        TestCluster c = TestCluster.of(3, b -> b.checkQuorum(false));
        c.elect(1);
        c.propose(1, "w");
        c.stabilize();
        assertThat(leader(c).leaseReadIndex(MARGIN)).isEqualTo(-1);
    }

    @Test
    @DisplayName("only a leader holds a lease")
    void followersHoldNoLease() {
        TestCluster c = ledBy1();
        assertThat(c.node(2).node().leaseReadIndex(MARGIN)).isEqualTo(-1);
        assertThat(c.node(3).node().leaseReadIndex(MARGIN)).isEqualTo(-1);
    }

    @Test
    @DisplayName("thesis §3.10: once the leader tells a transferee to campaign (TimeoutNow), whose campaign overrides stickiness, it serves no lease read in that term")
    void timeoutNowVoidsTheLeaseForTheTerm() {
        TestCluster c = ledBy1();
        leader(c).transferLeader(3);
        c.processReady();
        assertThat(ofType(c.inFlight(), MessageType.TIMEOUT_NOW)).as("the transferee is up to date").hasSize(1);
        assertThat(leader(c).raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(leader(c).leaseReadIndex(MARGIN)).isEqualTo(-1);
        c.dropIf(m -> m.type() == MessageType.TIMEOUT_NOW); // the transfer fails; the term goes on
        c.deliverAll();
        int electionTick = leader(c).raft().config().electionTick();
        for (int i = 0; i < electionTick + 2; i++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(leader(c).raft().leadTransferee()).as("the transfer was abandoned").isZero();
        assertThat(leader(c).raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(leader(c).leaseReadIndex(MARGIN)).as("still void in this term").isEqualTo(-1);
    }

    @Test
    @DisplayName("a host whose clock skipped time forfeits the lease: none until a quorum answers again")
    void forfeitedLeaseNeedsFreshAnswers() {
        TestCluster c = ledBy1();
        leader(c).forfeitLease();
        assertThat(leader(c).leaseReadIndex(MARGIN)).isEqualTo(-1);
        c.tickAll(1);
        c.stabilize();
        assertThat(leader(c).leaseReadIndex(MARGIN)).as("a heartbeat round answered since").isNotNegative();
    }

    @Test
    @DisplayName("a margin that leaves no window gives no lease")
    void marginAsLongAsTheTimeoutLeavesNoLease() {
        TestCluster c = ledBy1();
        int electionTick = leader(c).raft().config().electionTick();
        assertThat(leader(c).leaseReadIndex(electionTick)).isEqualTo(-1);
        assertThat(leader(c).leaseReadIndex(electionTick - 1)).as("a window of one tick, answered this tick")
                .isNotNegative();
    }
}
