package io.flotilla.raft.rules;

import io.flotilla.raft.ProposalDroppedException.Reason;
import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a proposal goes: the leader appends it; a follower forwards it to the leader it
 * knows; anything that cannot be accepted here and now fails with a typed reason, so the
 * client knows whether and where to retry.
 */
class ProposalTest {

    private static void assertDropped(TestCluster c, long id, Reason reason, long leaderHint) {
        assertDropped(c, id, "x", reason, leaderHint);
    }

    private static void assertDropped(TestCluster c, long id, String data, Reason reason, long leaderHint) {
        assertThatThrownBy(() -> c.propose(id, data)).isInstanceOfSatisfying(ProposalDroppedException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.leaderHint()).isEqualTo(leaderHint);
        });
    }

    @Test
    @DisplayName("§5.1: a follower forwards a proposal to its leader (term-less), which replicates it to all")
    void followerForwardsProposal() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.propose(2, "fwd");
        c.processReady();
        List<Message> proposals = ofType(c.inFlight(), MessageType.PROPOSE);
        assertThat(proposals).singleElement().satisfies(m -> {
            assertThat(m.from()).isEqualTo(2);
            assertThat(m.to()).isEqualTo(1);
            assertThat(m.term()).isZero();
        });
        assertThat(c.node(2).node().raft().log().lastIndex()).as("the follower appends nothing itself").isEqualTo(1);
        c.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).appliedData()).containsExactly("fwd");
        }
    }

    @Test
    @DisplayName("with disableProposalForwarding a follower refuses with FORWARDING_DISABLED and names the leader")
    void forwardingDisabled() {
        TestCluster c = TestCluster.of(3, b -> b.disableProposalForwarding(true));
        c.elect(1);
        assertDropped(c, 2, Reason.FORWARDING_DISABLED, 1);
        c.processReady();
        assertThat(ofType(c.inFlight(), MessageType.PROPOSE)).isEmpty();
        c.propose(1, "direct");
        c.stabilize();
        assertThat(c.node(2).appliedData()).containsExactly("direct");
    }

    @Test
    @DisplayName("with no known leader a proposal fails with NO_LEADER, on a follower and on a (pre-)candidate")
    void noLeader() {
        TestCluster c = TestCluster.of(3);
        assertDropped(c, 1, Reason.NO_LEADER, 0);
        c.campaign(1);
        assertThat(c.node(1).node().raft().role()).isEqualTo(StateRole.PRE_CANDIDATE);
        assertDropped(c, 1, Reason.NO_LEADER, 0);
        TestCluster plain = TestCluster.of(3, Fixtures.PLAIN);
        plain.campaign(1);
        assertThat(plain.node(1).node().raft().role()).isEqualTo(StateRole.CANDIDATE);
        assertDropped(plain, 1, Reason.NO_LEADER, 0);
    }

    @Test
    @DisplayName("thesis §3.10: during a leader transfer the leader refuses proposals with TRANSFER_IN_PROGRESS")
    void transferInProgress() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.isolate(3); // the transfer cannot complete
        c.node(1).node().transferLeader(3);
        assertThat(c.node(1).node().raft().leadTransferee()).isEqualTo(3);
        assertDropped(c, 1, Reason.TRANSFER_IN_PROGRESS, 1);
        // A forwarded proposal is dropped silently, as the network could have dropped it.
        c.propose(2, "fwd");
        c.stabilize();
        assertThat(c.node(1).node().raft().log().lastIndex()).isEqualTo(1);
    }

    @Test
    @DisplayName("a leader holding maxUncommittedEntriesSize uncommitted bytes refuses more with UNCOMMITTED_LIMIT")
    void uncommittedLimit() {
        TestCluster c = TestCluster.of(3, b -> b.maxUncommittedEntriesSize(16));
        c.elect(1);
        c.isolate(2);
        c.isolate(3);
        c.propose(1, "0123456789"); // 10 bytes: within the limit
        c.stabilize();
        assertThat(c.node(1).node().raft().uncommittedSize()).isEqualTo(10);
        assertDropped(c, 1, "0123456789", Reason.UNCOMMITTED_LIMIT, 1); // 20 > 16
        c.propose(1, "12345"); // 15 <= 16: still fits
        assertThat(c.node(1).node().raft().log().lastIndex()).isEqualTo(3);

        // Once the entry commits and applies, its bytes no longer count.
        c.heal();
        c.tick(1, 1);
        stabilize(c);
        assertThat(c.node(1).node().raft().uncommittedSize()).isZero();
        c.propose(1, "0123456789");
        c.stabilize();
        assertThat(c.node(3).appliedData()).containsExactly("0123456789", "12345", "0123456789");
    }

    @Test
    @DisplayName("a single proposal larger than the uncommitted limit is accepted when nothing is uncommitted")
    void oversizedProposalAcceptedWhenIdle() {
        TestCluster c = TestCluster.of(3, b -> b.maxUncommittedEntriesSize(4));
        c.elect(1);
        c.propose(1, "larger-than-four");
        c.stabilize();
        assertThat(c.node(2).appliedData()).containsExactly("larger-than-four");
    }
}
