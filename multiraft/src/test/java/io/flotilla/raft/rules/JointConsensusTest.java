package io.flotilla.raft.rules;

import io.flotilla.raft.ProposalDroppedException.Reason;
import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeTransition;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.tracker.TrackerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flotilla.raft.message.ConfChangeSingle.addLearner;
import static io.flotilla.raft.message.ConfChangeSingle.addVoter;
import static io.flotilla.raft.message.ConfChangeSingle.remove;
import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.tickAndStabilize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Joint consensus (thesis §4.3): a change of several voters passes through a configuration in
 * which both the old and the new voters must agree, left automatically or on request.
 */
class JointConsensusTest {

    /** Voters 1..3 led by 1, plus replica 4 that knows the initial configuration. */
    private static TestCluster cluster() {
        TestCluster c = TestCluster.of(3);
        c.add(4, MemoryLogStorage.withVoters(1, 2, 3), DEFAULTS);
        c.elect(1);
        return c;
    }

    private static TrackerConfig config(TestCluster c, long id) {
        return c.node(id).node().raft().tracker().config();
    }

    /** Stabilizes round by round, recording every configuration the leader went through. */
    private static List<TrackerConfig> stabilizeWatching(TestCluster c, long leader) {
        List<TrackerConfig> seen = new ArrayList<>();
        for (int round = 0; round < 1000; round++) {
            TrackerConfig now = config(c, leader);
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                seen.add(now);
            }
            boolean moved = c.processReady();
            if (c.inFlight().isEmpty() && !moved) {
                return seen;
            }
            c.deliverAll();
        }
        throw new IllegalStateException("did not stabilize");
    }

    private static ConfChange replaceThreeByFour(ConfChangeTransition t) {
        return new ConfChange(t, List.of(addVoter(4), remove(3)), null);
    }

    private static void assertJoint(TrackerConfig cfg) {
        assertThat(cfg.voters().isJoint()).isTrue();
        assertThat(cfg.voters().incoming().ids()).containsExactly(1L, 2L, 4L);
        assertThat(cfg.voters().outgoing().ids()).containsExactly(1L, 2L, 3L);
    }

    private static void assertFinal(TestCluster c, long... ids) {
        for (long id : ids) {
            TrackerConfig cfg = config(c, id);
            assertThat(cfg.voters().isJoint()).as("config of %d", id).isFalse();
            assertThat(cfg.voters().ids()).as("config of %d", id).containsExactly(1L, 2L, 4L);
        }
    }

    @Test
    @DisplayName("thesis §4.3: a change of two voters enters a joint configuration and leaves it by itself (AUTO)")
    void autoEntersAndLeavesJoint() {
        TestCluster c = cluster();
        c.node(1).node().proposeConfChange(replaceThreeByFour(ConfChangeTransition.AUTO));
        List<TrackerConfig> seen = stabilizeWatching(c, 1);
        assertThat(seen).hasSize(3);
        assertJoint(seen.get(1));
        assertFinal(c, 1, 2, 4);
        List<ConfChange> changes = c.node(1).node().raft().log().slice(1,
                        c.node(1).node().raft().log().lastIndex() + 1, Long.MAX_VALUE)
                .stream().filter(Entry::isConfChange).map(e -> ConfChange.decode(e.data())).toList();
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).isLeaveJoint()).as("the leader proposed the leave itself").isTrue();
    }

    @Test
    @DisplayName("thesis §4.3: JOINT_IMPLICIT goes through joint consensus even for one voter, and leaves by itself")
    void jointImplicitForSingleChange() {
        TestCluster c = cluster();
        c.node(1).node().proposeConfChange(new ConfChange(ConfChangeTransition.JOINT_IMPLICIT,
                List.of(addVoter(4)), null));
        List<TrackerConfig> seen = stabilizeWatching(c, 1);
        assertThat(seen).hasSize(3);
        assertThat(seen.get(1).voters().isJoint()).isTrue();
        assertThat(config(c, 1).voters().isJoint()).isFalse();
        assertThat(config(c, 1).voters().ids()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    @DisplayName("thesis §4.3: JOINT_EXPLICIT stays joint until the application proposes leaving")
    void jointExplicitWaitsForLeave() {
        TestCluster c = cluster();
        c.node(1).node().proposeConfChange(replaceThreeByFour(ConfChangeTransition.JOINT_EXPLICIT));
        c.stabilize();
        for (long id = 1; id <= 4; id++) {
            assertJoint(config(c, id));
        }
        assertThatThrownBy(() -> c.node(1).node().proposeConfChange(ConfChange.of(addLearner(5))))
                .as("no other change while joint").isInstanceOfSatisfying(ProposalDroppedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONF_CHANGE_REFUSED));

        c.node(1).node().proposeConfChange(ConfChange.leaveJoint());
        c.stabilize();
        assertFinal(c, 1, 2, 4);
    }

    @Test
    @DisplayName("thesis §4.3: leaving a joint configuration when not in one is refused")
    void leaveWhenNotJointRefused() {
        TestCluster c = cluster();
        assertThatThrownBy(() -> c.node(1).node().proposeConfChange(ConfChange.leaveJoint()))
                .isInstanceOfSatisfying(ProposalDroppedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONF_CHANGE_REFUSED));
    }

    @Test
    @DisplayName("thesis §4.3: in a joint configuration an entry commits only with a majority of both halves")
    void jointCommitNeedsBothMajorities() {
        TestCluster c = cluster();
        c.node(1).node().proposeConfChange(replaceThreeByFour(ConfChangeTransition.JOINT_EXPLICIT));
        c.stabilize();

        // {1,4}: a majority of the new voters {1,2,4} but not of the old {1,2,3}.
        c.isolate(2);
        c.isolate(3);
        long committed = c.node(1).node().raft().log().committed();
        c.propose(1, "new-half-only");
        c.stabilize();
        assertThat(c.node(1).node().raft().log().committed()).isEqualTo(committed);

        // {1,2}: a majority of both halves.
        c.heal();
        c.isolate(3);
        c.isolate(4);
        c.tick(1, 1);
        c.stabilize();
        assertThat(c.node(1).node().raft().log().committed()).isGreaterThan(committed);
        assertThat(c.node(2).appliedData()).containsExactly("new-half-only");
    }

    @Test
    @DisplayName("thesis §4.3: in a joint configuration a candidate needs a majority of both halves to win")
    void jointElectionNeedsBothMajorities() {
        TestCluster c = cluster();
        c.node(1).node().proposeConfChange(replaceThreeByFour(ConfChangeTransition.JOINT_EXPLICIT));
        c.stabilize();
        // Without 1 and 3 only {2,4} remain: a majority of {1,2,4} but not of {1,2,3}.
        c.isolate(1);
        c.isolate(3);
        tickAndStabilize(c, 60);
        assertThat(List.of(c.node(2).node().raft().role(), c.node(4).node().raft().role()))
                .doesNotContain(StateRole.LEADER);
        c.heal();
        c.isolate(1);
        tickAndStabilize(c, 60);
        assertThat(c.leader()).isIn(2L, 3L, 4L);
    }
}
