package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.append;
import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.ids;
import static io.flotilla.raft.rules.Fixtures.replica;
import static io.flotilla.raft.rules.Fixtures.snapshot;
import static io.flotilla.raft.rules.Fixtures.storage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MsgHup (an election timeout or an explicit campaign) starts an election only on a replica
 * that may lead: not already leader, a voter of its own configuration, with no snapshot
 * being installed and no committed-but-unapplied configuration change.
 */
class HupTest {

    /** Asserts that a campaign request changed nothing and sent no (pre-)vote request. */
    private static void assertRefused(TestNode n, long term) {
        List<Message> sent = drain(n);
        Raft r = n.node().raft();
        assertThat(r.role()).isIn(StateRole.FOLLOWER, StateRole.LEADER);
        assertThat(r.term()).isEqualTo(term);
        assertThat(sent).noneMatch(m -> m.type().isVoteRequest());
    }

    @Test
    @DisplayName("a leader ignores MsgHup: no new term, no vote requests")
    void leaderIgnoresHup() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        long term = c.node(1).node().raft().term();
        c.campaign(1);
        assertRefused(c.node(1), term);
        assertThat(c.node(1).node().raft().role()).isEqualTo(StateRole.LEADER);
    }

    @Test
    @DisplayName("a replica removed from (or never in) the configuration does not campaign, on hup or on timeout")
    void nonMemberDoesNotCampaign() {
        TestNode n = replica(1, storage(ids(2, 3), 0, 0), DEFAULTS);
        n.node().campaign();
        assertRefused(n, 0);
        for (int i = 0; i < 100; i++) {
            n.node().tick();
        }
        assertRefused(n, 0);
    }

    @Test
    @DisplayName("a learner does not campaign, on hup or on timeout (thesis §4.2.1)")
    void learnerDoesNotCampaign() {
        ConfState cs = new ConfState(List.of(1L, 2L), List.of(3L), List.of(), List.of(), false);
        TestNode n = replica(3, storage(cs), DEFAULTS);
        assertThat(n.node().raft().isLearner()).isTrue();
        n.node().campaign();
        assertRefused(n, 0);
        for (int i = 0; i < 100; i++) {
            n.node().tick();
        }
        assertRefused(n, 0);
    }

    @Test
    @DisplayName("a replica installing a snapshot does not campaign until the snapshot is persisted")
    void pendingSnapshotBlocksCampaign() {
        TestNode n = replica(2, storage(ids(1, 2, 3), 0, 0), DEFAULTS);
        n.node().step(snapshot(1, 2, 1, 5, 1, 1, 2, 3));
        assertThat(n.node().raft().log().hasPendingSnapshot()).isTrue();
        n.node().campaign();
        assertThat(n.node().raft().role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(n.node().raft().term()).isEqualTo(1);

        drain(n); // the host persists the snapshot
        assertThat(n.node().raft().log().hasPendingSnapshot()).isFalse();
        n.node().campaign();
        assertThat(n.node().raft().role()).isEqualTo(StateRole.PRE_CANDIDATE);
    }

    @Test
    @DisplayName("thesis §4.1: a replica with a committed but unapplied conf change does not campaign until it applies it")
    void unappliedConfChangeBlocksCampaign() {
        TestNode n = replica(2, storage(ids(1, 2, 3), 0, 0), DEFAULTS);
        Entry cc = ConfChange.of(ConfChangeSingle.addLearner(4)).toEntry().at(1, 1);
        n.node().step(append(1, 2, 1, 0, 0, 1, List.of(cc)));
        Raft r = n.node().raft();
        assertThat(r.log().committed()).isEqualTo(1);
        assertThat(r.log().applied()).isZero();

        n.node().campaign();
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.term()).isEqualTo(1);
        for (int i = 0; i < 50; i++) {
            n.node().tick();
        }
        assertThat(r.role()).as("timeouts are refused too").isEqualTo(StateRole.FOLLOWER);

        drain(n); // applies the change
        assertThat(r.log().applied()).isEqualTo(1);
        assertThat(n.confState().learners()).containsExactly(4L);
        n.node().campaign();
        assertThat(r.role()).isEqualTo(StateRole.PRE_CANDIDATE);
        assertThat(drain(n)).filteredOn(m -> m.type() == MessageType.PRE_VOTE).extracting(Message::to)
                .containsExactlyInAnyOrder(1L, 3L);
    }
}
