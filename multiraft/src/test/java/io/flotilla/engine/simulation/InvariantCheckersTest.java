package io.flotilla.engine.simulation;

import io.flotilla.engine.NodeEngine.GroupInfo;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each checker the simulation relies on, fed a deliberately broken history, must fail — and fed
 * the legal variant of the same history, must not. Otherwise a green simulation proves nothing.
 */
class InvariantCheckersTest {

    private static GroupInfo info(long group, long replica, StateRole role, long term, long commit, long applied) {
        return new GroupInfo(group, replica, role, term, role == StateRole.LEADER ? replica : 0, 0, commit, applied,
                false);
    }

    private static Entry entry(long index, long term, String data) {
        return Entry.normal(term, index, data.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ReplicaRecorder recorder(long group, long node, Entry... entries) {
        ReplicaRecorder r = new ReplicaRecorder(group, node);
        for (Entry e : entries) {
            r.apply(e);
        }
        return r;
    }

    @Nested
    @DisplayName("at most one leader per term (§5.2 Election Safety)")
    class LeaderPerTerm {
        @Test
        void twoReplicasLeadingTheSameTermOfAGroupAreReported() {
            LeaderPerTermCheck check = new LeaderPerTermCheck();
            check.observe(info(1, 1, StateRole.LEADER, 5, 0, 0));
            assertThatThrownBy(() -> check.observe(info(1, 2, StateRole.LEADER, 5, 0, 0)))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("two leaders in group 1 term 5");
        }

        @Test
        void theSameLeaderSeenAgainOrOtherTermsAndGroupsAreFine() {
            LeaderPerTermCheck check = new LeaderPerTermCheck();
            assertThatCode(() -> {
                check.observe(info(1, 1, StateRole.LEADER, 5, 0, 0));
                check.observe(info(1, 1, StateRole.LEADER, 5, 0, 0));
                check.observe(info(1, 2, StateRole.LEADER, 6, 0, 0));
                check.observe(info(2, 2, StateRole.LEADER, 5, 0, 0));
                check.observe(info(1, 3, StateRole.CANDIDATE, 5, 0, 0));
            }).doesNotThrowAnyException();
        }
    }

    @Nested
    @DisplayName("terms and commit indexes only move forward (§5.1, Figure 2)")
    class Progress {
        @Test
        void aTermThatGoesBackIsReported() {
            ReplicaProgressCheck check = new ReplicaProgressCheck();
            check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 0, 0));
            assertThatThrownBy(() -> check.observe(1, info(7, 1, StateRole.FOLLOWER, 3, 0, 0)))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("term went back");
        }

        @Test
        void aTermThatGoesBackAcrossARestartIsReportedToo() {
            ReplicaProgressCheck check = new ReplicaProgressCheck();
            check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 2, 2));
            check.crashed(7, 1, 2, true);
            assertThatThrownBy(() -> check.observe(1, info(7, 1, StateRole.FOLLOWER, 3, 2, 0)))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("term went back");
        }

        @Test
        void aCommitThatGoesBackWhileTheNodeIsUpIsReported() {
            ReplicaProgressCheck check = new ReplicaProgressCheck();
            check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 9, 9));
            assertThatThrownBy(() -> check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 8, 8)))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("commit went back while up");
        }

        @Test
        void afterACrashTheCommitMayDropToWhatWasDurableButNotBelow() {
            ReplicaProgressCheck legal = new ReplicaProgressCheck();
            legal.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 9, 9));
            legal.crashed(7, 1, 6, true);
            assertThatCode(() -> legal.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 6, 0)))
                    .doesNotThrowAnyException();

            ReplicaProgressCheck broken = new ReplicaProgressCheck();
            broken.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 9, 9));
            broken.crashed(7, 1, 6, true);
            assertThatThrownBy(() -> broken.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 5, 0)))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("below the durable commit 6");
        }

        @Test
        void onceObservedAfterTheRestartTheCommitIsMonotonicAgain() {
            ReplicaProgressCheck check = new ReplicaProgressCheck();
            check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 9, 9));
            check.crashed(7, 1, 6, true);
            check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 8, 0));
            assertThatThrownBy(() -> check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 7, 0)))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("commit went back while up");
        }

        @Test
        void aDurableCommitBeyondAnythingShownIsReported() {
            ReplicaProgressCheck check = new ReplicaProgressCheck();
            check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 3, 3));
            assertThatThrownBy(() -> check.crashed(7, 1, 4, true)).isInstanceOf(InvariantViolation.class)
                    .hasMessageContaining("made commit 4 durable");
            // Dying inside a tick, it may have synced a commit after the last observation.
            assertThatCode(() -> check.crashed(7, 1, 4, false)).doesNotThrowAnyException();
        }

        @Test
        void appliedBeyondCommitIsReported() {
            ReplicaProgressCheck check = new ReplicaProgressCheck();
            assertThatThrownBy(() -> check.observe(1, info(7, 1, StateRole.FOLLOWER, 4, 3, 4)))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("applied 4 beyond commit 3");
        }
    }

    @Nested
    @DisplayName("applied sequences are prefixes of one sequence per group (§5.4.3 State Machine Safety)")
    class AppliedPrefixes {
        @Test
        void differentDataAtTheSameIndexIsReported() {
            AppliedSequenceCheck check = new AppliedSequenceCheck();
            check.catchUp(recorder(1, 1, entry(1, 1, ""), entry(2, 1, "a")));
            assertThatThrownBy(() -> check.catchUp(recorder(1, 2, entry(1, 1, ""), entry(2, 1, "b"))))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("State Machine Safety");
        }

        @Test
        void theSameDataFromAnotherTermIsReported() {
            AppliedSequenceCheck check = new AppliedSequenceCheck();
            check.catchUp(recorder(1, 1, entry(1, 1, "a")));
            assertThatThrownBy(() -> check.catchUp(recorder(1, 2, entry(1, 2, "a"))))
                    .isInstanceOf(InvariantViolation.class);
        }

        @Test
        void aSkippedOrRepeatedIndexIsReported() {
            AppliedSequenceCheck check = new AppliedSequenceCheck();
            assertThatThrownBy(() -> check.catchUp(recorder(1, 1, entry(1, 1, "a"), entry(3, 1, "c"))))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("in order, once each");
            assertThatThrownBy(() -> new AppliedSequenceCheck().catchUp(recorder(1, 1, entry(1, 1, "a"),
                    entry(1, 1, "a")))).isInstanceOf(InvariantViolation.class);
        }

        @Test
        void shorterPrefixesAndRestartedIncarnationsReplayingTheLogAreFine() {
            AppliedSequenceCheck check = new AppliedSequenceCheck();
            ReplicaRecorder first = recorder(1, 1, entry(1, 1, ""), entry(2, 1, "a"), entry(3, 2, "b"));
            assertThatCode(() -> {
                check.catchUp(first);
                check.catchUp(recorder(1, 2, entry(1, 1, "")));
                check.catchUp(recorder(1, 1, entry(1, 1, ""), entry(2, 1, "a"))); // node 1 restarted
                first.apply(entry(4, 2, "c"));
                check.catchUp(first); // only the new entry is looked at
            }).doesNotThrowAnyException();
            // A divergence after an incremental catch-up is still found.
            ReplicaRecorder third = recorder(1, 3, entry(1, 1, ""), entry(2, 1, "a"), entry(3, 2, "b"));
            check.catchUp(third);
            third.apply(entry(4, 3, "x"));
            assertThatThrownBy(() -> check.catchUp(third)).isInstanceOf(InvariantViolation.class);
        }
    }

    @Nested
    @DisplayName("acknowledged writes are applied where acknowledged and never lost (§5.3, §8)")
    class AcknowledgedWrites {
        @Test
        void anAcknowledgementForDataTheProposerDidNotApplyThereIsReported() {
            AcknowledgedWritesCheck check = new AcknowledgedWritesCheck();
            ReplicaRecorder proposer = recorder(1, 1, entry(1, 1, ""), entry(2, 1, "other"));
            assertThatThrownBy(() -> check.acknowledged(1, 2, "mine", proposer, null))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("acknowledged 'mine' at index 2");
        }

        @Test
        void anAcknowledgementWhereOtherReplicasAgreedOnOtherDataIsReported() {
            AcknowledgedWritesCheck check = new AcknowledgedWritesCheck();
            ReplicaRecorder proposer = recorder(1, 1, entry(1, 1, ""), entry(2, 1, "mine"));
            assertThatThrownBy(() -> check.acknowledged(1, 2, "mine", proposer, new AppliedEntry(2, 1, "theirs")))
                    .isInstanceOf(InvariantViolation.class);
        }

        @Test
        void aReplicaApplyingOtherDataAtAnAcknowledgedIndexLaterIsReported() {
            AcknowledgedWritesCheck check = new AcknowledgedWritesCheck();
            check.acknowledged(1, 2, "mine", recorder(1, 1, entry(1, 1, ""), entry(2, 1, "mine")), null);
            assertThatCode(() -> check.applied(1, 2, new AppliedEntry(2, 1, "mine"))).doesNotThrowAnyException();
            assertThatThrownBy(() -> check.applied(1, 3, new AppliedEntry(2, 2, "theirs")))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("'mine' was acknowledged");
        }

        @Test
        void anAcknowledgedWriteMissingAfterHealingIsReported() {
            AcknowledgedWritesCheck check = new AcknowledgedWritesCheck();
            check.acknowledged(1, 2, "mine", recorder(1, 1, entry(1, 1, ""), entry(2, 1, "mine")), null);
            assertThatCode(() -> check.nothingLost(recorder(1, 2, entry(1, 1, ""), entry(2, 1, "mine"),
                    entry(3, 1, "later")))).doesNotThrowAnyException();
            assertThatThrownBy(() -> check.nothingLost(recorder(1, 3, entry(1, 1, ""))))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("missing on node 3 after healing");
            assertThatThrownBy(() -> check.nothingLost(recorder(1, 3, entry(1, 1, ""), entry(2, 2, "lost"))))
                    .isInstanceOf(InvariantViolation.class);
        }
    }

    @Nested
    @DisplayName("ReadIndex reads are linearizable (thesis §6.4)")
    class LinearizableReads {
        @Test
        void aReadPointBeforeAWriteAcknowledgedEarlierIsReported() {
            LinearizableReadCheck check = new LinearizableReadCheck();
            assertThatThrownBy(() -> check.completed(1, 2, 4, 5, 9)).isInstanceOf(InvariantViolation.class)
                    .hasMessageContaining("before index 5 acknowledged");
        }

        @Test
        void aReadCompletedBeforeTheReplicaAppliedItsReadPointIsReported() {
            LinearizableReadCheck check = new LinearizableReadCheck();
            assertThatThrownBy(() -> check.completed(1, 2, 6, 5, 5)).isInstanceOf(InvariantViolation.class)
                    .hasMessageContaining("with only 5 applied");
        }

        @Test
        void aReadAtOrAfterTheFloorAndAppliedThereIsFine() {
            LinearizableReadCheck check = new LinearizableReadCheck();
            assertThatCode(() -> {
                check.completed(1, 2, 5, 5, 5);
                check.completed(1, 2, 7, 5, 9);
            }).doesNotThrowAnyException();
        }
    }
}
