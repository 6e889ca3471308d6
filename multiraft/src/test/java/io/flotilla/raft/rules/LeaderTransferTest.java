package io.flotilla.raft.rules;

import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.Raft;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Leadership transfer (thesis §3.10): the leader brings the transferee up to date, sends it
 * TimeoutNow, and the transferee wins an election that skips pre-vote and overrides leases.
 */
class LeaderTransferTest {
    private static final int ELECTION = 10;

    @Test
    @DisplayName("thesis §3.10: an up-to-date transferee gets TimeoutNow and wins without pre-vote, despite the lease")
    void upToDateTransfereeWins() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        long term = c.node(1).node().raft().term();
        c.node(1).node().transferLeader(2);
        List<Message> sent = stabilize(c);

        assertThat(ofType(sent, MessageType.TIMEOUT_NOW)).singleElement()
                .satisfies(m -> assertThat(m.to()).isEqualTo(2));
        assertThat(ofType(sent, MessageType.PRE_VOTE)).isEmpty();
        assertThat(ofType(sent, MessageType.VOTE)).isNotEmpty()
                .allSatisfy(m -> assertThat(m.isTransferCampaign()).isTrue());
        assertThat(c.leader()).isEqualTo(2);
        assertThat(c.node(2).node().raft().term()).isEqualTo(term + 1);
        assertThat(c.node(1).node().raft().role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(c.node(1).node().raft().leadTransferee()).isZero();
    }

    @Test
    @DisplayName("thesis §3.10: a lagging transferee is caught up first; TimeoutNow follows its acknowledgement")
    void laggingTransfereeCaughtUpFirst() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.isolate(3);
        for (int i = 0; i < 5; i++) {
            c.propose(1, "p" + i);
        }
        c.stabilize();
        c.heal();
        Raft leader = c.node(1).node().raft();
        long last = leader.log().lastIndex();
        assertThat(leader.tracker().get(3).match()).isLessThan(last);

        c.node(1).node().transferLeader(3);
        assertThat(leader.leadTransferee()).isEqualTo(3);
        List<Message> sent = stabilize(c);
        int timeoutNow = indexOf(sent, m -> m.type() == MessageType.TIMEOUT_NOW);
        int caughtUp = indexOf(sent, m -> m.type() == MessageType.APPEND_RESPONSE && m.from() == 3
                && !m.reject() && m.index() == last);
        assertThat(caughtUp).as("3 acknowledged the whole log").isNotNegative();
        assertThat(timeoutNow).as("TimeoutNow came after that").isGreaterThan(caughtUp);
        assertThat(c.leader()).isEqualTo(3);
        assertThat(c.node(3).appliedData()).containsExactly("p0", "p1", "p2", "p3", "p4");
    }

    @Test
    @DisplayName("thesis §3.10: a transfer the transferee does not answer is abandoned after an election timeout")
    void unansweredTransferAbortsAfterElectionTimeout() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.isolate(3);
        Raft leader = c.node(1).node().raft();
        c.node(1).node().transferLeader(3);
        assertThat(leader.leadTransferee()).isEqualTo(3);
        for (int i = 0; i < ELECTION - 1; i++) {
            c.tick(1, 1);
            c.stabilize();
        }
        assertThat(leader.leadTransferee()).isEqualTo(3);
        assertThatThrownBy(() -> c.propose(1, "during")).isInstanceOf(ProposalDroppedException.class);
        c.tick(1, 1);
        c.stabilize();
        assertThat(leader.leadTransferee()).isZero();
        assertThat(leader.role()).isEqualTo(StateRole.LEADER);
        c.propose(1, "after");
        c.stabilize();
        assertThat(c.node(2).appliedData()).containsExactly("after");
    }

    @Test
    @DisplayName("thesis §3.10: proposals during a transfer are dropped with TRANSFER_IN_PROGRESS")
    void proposalsDroppedDuringTransfer() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.isolate(2);
        c.node(1).node().transferLeader(2);
        assertThatThrownBy(() -> c.propose(1, "x")).isInstanceOfSatisfying(ProposalDroppedException.class,
                e -> assertThat(e.reason()).isEqualTo(ProposalDroppedException.Reason.TRANSFER_IN_PROGRESS));
        assertThat(c.node(1).node().raft().log().lastIndex()).isEqualTo(1);
    }

    @Test
    @DisplayName("thesis §3.10: a follower forwards a transfer request to the leader")
    void followerForwardsTransferRequest() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.node(3).node().transferLeader(3);
        c.stabilize();
        assertThat(c.leader()).isEqualTo(3);
    }

    @Test
    @DisplayName("thesis §4.2.1: a transfer to a learner is ignored")
    void transferToLearnerIgnored() {
        TestCluster c = TestCluster.of(3);
        c.add(4, MemoryLogStorage.withVoters(1, 2, 3), DEFAULTS);
        c.elect(1);
        c.node(1).node().proposeConfChange(ConfChange.of(ConfChangeSingle.addLearner(4)));
        c.stabilize();
        c.node(1).node().transferLeader(4);
        List<Message> sent = stabilize(c);
        assertThat(ofType(sent, MessageType.TIMEOUT_NOW)).isEmpty();
        assertThat(c.node(1).node().raft().leadTransferee()).isZero();
        assertThat(c.leader()).isEqualTo(1);
    }

    private static int indexOf(List<Message> sent, Predicate<Message> p) {
        for (int i = 0; i < sent.size(); i++) {
            if (p.test(sent.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
