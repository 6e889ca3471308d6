package io.flotilla.raft.confchange;

import io.flotilla.raft.quorum.MajorityConfig;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressState;
import io.flotilla.raft.tracker.TrackerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.flotilla.raft.message.ConfChangeSingle.addLearner;
import static io.flotilla.raft.message.ConfChangeSingle.addVoter;
import static io.flotilla.raft.message.ConfChangeSingle.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Membership changes: one voter at a time (thesis §4.1) and joint consensus (thesis §4.3). */
class ConfigurationChangerTest {

    private static MajorityConfig voters(long... ids) {
        return MajorityConfig.of(ids);
    }

    @Test
    @DisplayName("adding a voter gives it fresh progress starting after the leader's last index")
    void addedVoterGetsFreshProgress() {
        TrackedMembership m = TrackedMembership.ofVoters(1);
        m.lastIndex = 20;
        m.simple(addVoter(2));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2));
        assertThat(m.config().voters().isJoint()).isFalse();
        Progress p = m.progress().get(2L);
        assertThat(p.match()).isZero();
        assertThat(p.next()).isEqualTo(21);
        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.recentActive()).isTrue();
        assertThat(p.isLearner()).isFalse();
    }

    @Test
    @DisplayName("adding an existing voter or removing an unknown node changes nothing")
    void idempotentChanges() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2);
        Progress p1 = m.progress().get(1L);
        m.simple(addVoter(1));
        m.simple(remove(9));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2));
        assertThat(m.progress()).containsOnlyKeys(1L, 2L);
        assertThat(m.progress().get(1L)).isSameAs(p1);
    }

    @Test
    @DisplayName("removing a voter drops it and its progress; the others keep theirs")
    void removedVoterLosesProgress() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        Progress p1 = m.progress().get(1L);
        p1.maybeUpdate(7);
        m.simple(remove(2));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 3));
        assertThat(m.progress()).containsOnlyKeys(1L, 3L);
        assertThat(m.progress().get(1L)).isSameAs(p1);
        assertThat(p1.match()).isEqualTo(7);
    }

    @Test
    @DisplayName("adding a learner makes a non-voting member with the learner flag")
    void addedLearnerDoesNotVote() {
        TrackedMembership m = TrackedMembership.ofVoters(1);
        m.simple(addLearner(2));
        assertThat(m.config().learners()).containsExactly(2L);
        assertThat(m.config().isVoter(2)).isFalse();
        assertThat(m.progress().get(2L).isLearner()).isTrue();
        m.simple(addLearner(2));
        assertThat(m.config().learners()).containsExactly(2L);
    }

    @Test
    @DisplayName("promoting a learner makes it a voter and keeps its progress object")
    void promoteLearner() {
        TrackedMembership m = TrackedMembership.ofVoters(1);
        m.simple(addLearner(2));
        Progress p2 = m.progress().get(2L);
        p2.maybeUpdate(5);
        m.simple(addVoter(2));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2));
        assertThat(m.config().learners()).isEmpty();
        assertThat(m.progress().get(2L)).isSameAs(p2);
        assertThat(p2.isLearner()).isFalse();
        assertThat(p2.match()).isEqualTo(5);
    }

    @Test
    @DisplayName("demoting a voter outside a joint configuration makes it a learner at once")
    void demoteVoterSimple() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        Progress p3 = m.progress().get(3L);
        m.simple(addLearner(3));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2));
        assertThat(m.config().learners()).containsExactly(3L);
        assertThat(m.config().learnersNext()).isEmpty();
        assertThat(m.progress().get(3L)).isSameAs(p3);
        assertThat(p3.isLearner()).isTrue();
    }

    @Test
    @DisplayName("demoting a voter while joint parks it in learnersNext; leaving the joint config makes it a learner")
    void demoteVoterJoint() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        Progress p3 = m.progress().get(3L);
        m.enterJoint(false, addLearner(3), addVoter(4));
        TrackerConfig joint = m.config();
        assertThat(joint.voters().incoming()).isEqualTo(voters(1, 2, 4));
        assertThat(joint.voters().outgoing()).isEqualTo(voters(1, 2, 3));
        assertThat(joint.learnersNext()).containsExactly(3L);
        assertThat(joint.learners()).as("a node is never a voter and a learner at once").isEmpty();
        assertThat(p3.isLearner()).as("still votes in the outgoing half").isFalse();

        m.leaveJoint();
        assertThat(m.config().voters().isJoint()).isFalse();
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2, 4));
        assertThat(m.config().learners()).containsExactly(3L);
        assertThat(m.config().learnersNext()).isEmpty();
        assertThat(m.progress().get(3L)).isSameAs(p3);
        assertThat(p3.isLearner()).isTrue();
    }

    @Test
    @DisplayName("entering joint: the old voters become the outgoing half; autoLeave is recorded")
    void enterJointMakesOldVotersOutgoing() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        m.enterJoint(true, addVoter(4), addVoter(5), remove(1));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(2, 3, 4, 5));
        assertThat(m.config().voters().outgoing()).isEqualTo(voters(1, 2, 3));
        assertThat(m.config().autoLeave()).isTrue();
        assertThat(m.progress()).as("1 still votes in the outgoing half").containsOnlyKeys(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    @DisplayName("leaving joint drops members only in the outgoing half and clears autoLeave")
    void leaveJointDropsOutgoingOnly() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        Progress p2 = m.progress().get(2L);
        m.enterJoint(true, remove(3), addVoter(4));
        m.leaveJoint();
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2, 4));
        assertThat(m.config().voters().outgoing()).isEqualTo(MajorityConfig.EMPTY);
        assertThat(m.config().autoLeave()).isFalse();
        assertThat(m.progress()).containsOnlyKeys(1L, 2L, 4L);
        assertThat(m.progress().get(2L)).isSameAs(p2);
    }

    @Test
    @DisplayName("a node removed and re-added during the joint phase keeps its progress")
    void removeThenReAddWhileJoint() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        Progress p3 = m.progress().get(3L);
        m.enterJoint(false, remove(3), addVoter(4), addVoter(3));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2, 3, 4));
        assertThat(m.progress().get(3L)).isSameAs(p3);
    }

    @Test
    @DisplayName("a simple change may alter at most one voter (thesis §4.1)")
    void simpleRefusesTwoVoters() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        assertRefusedWithoutEffect(m, () -> m.simple(addVoter(4), addVoter(5)));
        assertRefusedWithoutEffect(m, () -> m.simple(remove(1), addVoter(4)));
        assertRefusedWithoutEffect(m, () -> m.simple(addLearner(1), addLearner(2)));
        // Learners may change freely alongside one voter.
        m.simple(addLearner(7), addLearner(8), addVoter(4));
        assertThat(m.config().voters().incoming()).isEqualTo(voters(1, 2, 3, 4));
        assertThat(m.config().learners()).containsExactly(7L, 8L);
    }

    @Test
    @DisplayName("joint-state rules: no joint on joint, no simple while joint, no leaving when not joint")
    void jointStateRules() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        assertRefusedWithoutEffect(m, m::leaveJoint);
        m.enterJoint(false, addVoter(4));
        assertRefusedWithoutEffect(m, () -> m.enterJoint(false, addVoter(5)));
        assertRefusedWithoutEffect(m, () -> m.simple(addVoter(5)));
        m.leaveJoint();
        assertThat(m.config().voters().isJoint()).isFalse();
    }

    @Test
    @DisplayName("no change may remove every voter, and a zero-voter configuration cannot go joint")
    void refusesRemovingAllVoters() {
        TrackedMembership single = TrackedMembership.ofVoters(1);
        assertRefusedWithoutEffect(single, () -> single.simple(remove(1)));
        assertRefusedWithoutEffect(single, () -> single.simple(addLearner(1)));
        TrackedMembership three = TrackedMembership.ofVoters(1, 2, 3);
        assertRefusedWithoutEffect(three, () -> three.enterJoint(false, remove(1), remove(2), remove(3)));
        TrackedMembership empty = new TrackedMembership();
        assertRefusedWithoutEffect(empty, () -> empty.enterJoint(false, addVoter(1), addVoter(2)));
    }

    @Test
    @DisplayName("node ids must be positive")
    void refusesNonPositiveIds() {
        TrackedMembership m = TrackedMembership.ofVoters(1);
        assertRefusedWithoutEffect(m, () -> m.simple(addVoter(0)));
        assertRefusedWithoutEffect(m, () -> m.simple(addLearner(-3)));
    }

    @Test
    @DisplayName("a failing change leaves the live configuration, progress map and progress objects untouched")
    void failureLeavesBaseUntouched() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2, 3);
        m.simple(addLearner(4));
        // Demote 2 and promote 4 in one simple change: two voters change, so it is refused,
        // after the draft has already moved both of them.
        assertRefusedWithoutEffect(m, () -> m.simple(addLearner(2), addVoter(4)));
        assertThat(m.progress().get(2L).isLearner()).isFalse();
        assertThat(m.progress().get(4L).isLearner()).isTrue();
    }

    @Test
    @DisplayName("computing a change does not touch the live tracker until it is installed")
    void computingDoesNotInstall() {
        TrackedMembership m = TrackedMembership.ofVoters(1, 2);
        TrackerConfig before = m.config();
        ChangeResult r = new ConfigurationChanger(m.config(), m.progress(), 10, m.tracker.newInflights())
                .simple(List.of(remove(2)));
        assertThat(r.config().voters().incoming()).isEqualTo(voters(1));
        assertThat(r.progress()).containsOnlyKeys(1L);
        assertThat(m.config()).isEqualTo(before);
        assertThat(m.progress()).containsOnlyKeys(1L, 2L);
    }

    /** Runs a change that must fail with ConfChangeException and checks that nothing moved. */
    private static void assertRefusedWithoutEffect(TrackedMembership m, Executable change) {
        TrackerConfig config = m.config();
        Map<Long, Progress> progress = new TreeMap<>(m.progress());
        Map<Long, String> states = new TreeMap<>();
        progress.forEach((id, p) -> states.put(id, p.toString()));

        assertThatThrownBy(change::execute).isInstanceOf(ConfChangeException.class);

        assertThat(m.config()).isEqualTo(config);
        assertThat(m.progress()).containsOnlyKeys(progress.keySet());
        progress.forEach((id, p) -> {
            assertThat(m.progress().get(id)).isSameAs(p);
            assertThat(p.toString()).isEqualTo(states.get(id));
        });
    }
}
