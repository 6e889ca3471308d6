package io.flotilla.raft.tracker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A follower's progress as the leader tracks it: nextIndex/matchIndex (§5.3) and flow control. */
class ProgressTest {

    private static Progress progress(long match, long next) {
        return new Progress(match, next, new Inflights(4, 0), false);
    }

    private static Progress replicating(long match) {
        Progress p = progress(match, match + 1);
        p.becomeReplicate();
        return p;
    }

    @Nested
    @DisplayName("state transitions")
    class Transitions {
        @Test
        @DisplayName("a new progress probes")
        void startsInProbe() {
            Progress p = progress(3, 7);
            assertThat(p.state()).isEqualTo(ProgressState.PROBE);
            assertThat(p.match()).isEqualTo(3);
            assertThat(p.next()).isEqualTo(7);
            assertThat(p.isPaused()).isFalse();
        }

        @Test
        @DisplayName("becomeReplicate resumes right after the match and clears the window")
        void becomeReplicate() {
            Progress p = progress(5, 9);
            p.sentEntries(1, 10, 9); // probe in flight
            p.becomeReplicate();
            assertThat(p.state()).isEqualTo(ProgressState.REPLICATE);
            assertThat(p.next()).isEqualTo(6);
            assertThat(p.probeSent()).isFalse();
            assertThat(p.inflights().count()).isZero();
        }

        @Test
        @DisplayName("becomeProbe from replicate restarts just past the match and drops the window")
        void replicateToProbe() {
            Progress p = replicating(5);
            p.sentEntries(3, 30, 8);
            p.sentEntries(2, 20, 10);
            assertThat(p.next()).isEqualTo(11);
            p.becomeProbe();
            assertThat(p.state()).isEqualTo(ProgressState.PROBE);
            assertThat(p.next()).isEqualTo(6);
            assertThat(p.inflights().count()).isZero();
            assertThat(p.inflights().bytes()).isZero();
        }

        @Test
        @DisplayName("becomeSnapshot records the pending snapshot; becomeProbe then resumes after it")
        void snapshotToProbeResumesAfterSnapshot() {
            Progress p = progress(5, 6);
            p.becomeSnapshot(20);
            assertThat(p.state()).isEqualTo(ProgressState.SNAPSHOT);
            assertThat(p.pendingSnapshot()).isEqualTo(20);
            p.becomeProbe();
            assertThat(p.state()).isEqualTo(ProgressState.PROBE);
            assertThat(p.next()).isEqualTo(21);
            assertThat(p.pendingSnapshot()).isZero();
        }

        @Test
        @DisplayName("becomeProbe from snapshot never resumes at or below the match")
        void snapshotToProbeNeverBelowMatch() {
            Progress p = progress(5, 6);
            p.becomeSnapshot(20);
            p.maybeUpdate(30); // the follower got further than the snapshot meanwhile
            p.becomeProbe();
            assertThat(p.next()).isEqualTo(31);
        }

        @Test
        @DisplayName("resetForNewTerm forgets everything but the given match and next")
        void resetForNewTerm() {
            Progress p = replicating(5);
            p.sentEntries(1, 10, 6);
            p.setRecentActive(true);
            p.resetForNewTerm(0, 12);
            assertThat(p.state()).isEqualTo(ProgressState.PROBE);
            assertThat(p.match()).isZero();
            assertThat(p.next()).isEqualTo(12);
            assertThat(p.recentActive()).isFalse();
            assertThat(p.inflights().count()).isZero();
            assertThat(p.probeSent()).isFalse();
            assertThat(p.isPaused()).isFalse();
        }

        @Test
        @DisplayName("fresh progress for a new member counts as recently active and owns its own window")
        void freshProgress() {
            Inflights template = new Inflights(2, 0);
            Progress p = Progress.fresh(11, template, true);
            assertThat(p.match()).isZero();
            assertThat(p.next()).isEqualTo(11);
            assertThat(p.isLearner()).isTrue();
            assertThat(p.recentActive()).isTrue();
            assertThat(p.inflights()).isNotSameAs(template);
            p.becomeReplicate();
            p.sentEntries(1, 1, 1);
            assertThat(template.count()).isZero();
        }
    }

    @Nested
    @DisplayName("sending and pausing")
    class Sending {
        @Test
        @DisplayName("in replicate state sending advances next optimistically and fills the window")
        void replicateSends() {
            Progress p = replicating(0);
            for (long last = 1; last <= 4; last++) {
                assertThat(p.isPaused()).isFalse();
                p.sentEntries(1, 10, last);
                assertThat(p.next()).isEqualTo(last + 1);
            }
            assertThat(p.inflights().count()).isEqualTo(4);
            assertThat(p.isPaused()).as("window full").isTrue();
            p.maybeUpdate(2);
            p.inflights().freeLE(2);
            assertThat(p.isPaused()).isFalse();
        }

        @Test
        @DisplayName("sending nothing in replicate state (an empty append) takes no window slot")
        void replicateEmptySend() {
            Progress p = replicating(3);
            p.sentEntries(0, 0, 3);
            assertThat(p.inflights().count()).isZero();
            assertThat(p.next()).isEqualTo(4);
        }

        @Test
        @DisplayName("in probe state one append with entries pauses until the follower answers")
        void probePauses() {
            Progress p = progress(3, 4);
            p.sentEntries(0, 0, 3);
            assertThat(p.isPaused()).as("an empty probe does not pause").isFalse();
            p.sentEntries(2, 20, 5);
            assertThat(p.isPaused()).isTrue();
            assertThat(p.next()).as("probe does not move next").isEqualTo(4);
            p.resumeProbe();
            assertThat(p.isPaused()).isFalse();
            p.pauseProbe();
            assertThat(p.isPaused()).isTrue();
        }

        @Test
        @DisplayName("a snapshot in flight pauses everything, and sending entries then is a bug")
        void snapshotPauses() {
            Progress p = progress(3, 4);
            p.becomeSnapshot(10);
            assertThat(p.isPaused()).isTrue();
            p.resumeProbe();
            assertThat(p.isPaused()).isTrue();
            assertThatIllegalStateException().isThrownBy(() -> p.sentEntries(1, 1, 11));
        }

        @Test
        @DisplayName("isPaused: probe pauses only on probeSent, replicate only on a full window")
        void pausedPerState() {
            Progress probe = progress(3, 4);
            probe.pauseProbe();
            probe.becomeReplicate();
            assertThat(probe.isPaused()).as("probeSent is cleared by the transition").isFalse();
            probe.pauseProbe();
            assertThat(probe.isPaused()).as("replicate ignores probeSent").isFalse();
        }

        @Test
        @DisplayName("freeFirstInflight unblocks a full window (a heartbeat answer proves liveness)")
        void freeFirstInflightUnblocks() {
            Progress p = replicating(0);
            for (long last = 1; last <= 4; last++) {
                p.sentEntries(1, 10, last);
            }
            assertThat(p.isPaused()).isTrue();
            p.freeFirstInflight();
            assertThat(p.isPaused()).isFalse();
            assertThat(p.inflights().count()).isEqualTo(3);
            Progress idle = replicating(0);
            idle.freeFirstInflight();
            assertThat(idle.inflights().count()).isZero();
        }
    }

    @Nested
    @DisplayName("acknowledgements and rejections")
    class Answers {
        @Test
        @DisplayName("maybeUpdate raises match and next, resumes probing, and reports stale acks")
        void maybeUpdate() {
            Progress p = progress(3, 6);
            p.pauseProbe();
            assertThat(p.maybeUpdate(4)).isTrue();
            assertThat(p.match()).isEqualTo(4);
            assertThat(p.next()).as("next never moves back").isEqualTo(6);
            assertThat(p.probeSent()).isFalse();

            assertThat(p.maybeUpdate(8)).isTrue();
            assertThat(p.match()).isEqualTo(8);
            assertThat(p.next()).isEqualTo(9);

            p.pauseProbe();
            assertThat(p.maybeUpdate(8)).as("duplicate").isFalse();
            assertThat(p.maybeUpdate(2)).as("stale").isFalse();
            assertThat(p.match()).isEqualTo(8);
            assertThat(p.next()).isEqualTo(9);
            assertThat(p.probeSent()).as("a stale ack does not resume a probe").isTrue();
        }

        @Test
        @DisplayName("replicate: a rejection at or below match is stale; above it, next falls back to match+1")
        void decreaseInReplicate() {
            Progress p = replicating(5);
            p.sentEntries(3, 30, 8);
            assertThat(p.next()).isEqualTo(9);
            assertThat(p.maybeDecreaseTo(5, 5)).isFalse();
            assertThat(p.maybeDecreaseTo(3, 0)).isFalse();
            assertThat(p.next()).isEqualTo(9);
            assertThat(p.maybeDecreaseTo(8, 2)).isTrue();
            assertThat(p.next()).as("replicate ignores the hint: match is known").isEqualTo(6);
        }

        @Test
        @DisplayName("probe: only the rejection of the probe just sent (next-1) counts")
        void decreaseInProbeIgnoresStale() {
            Progress p = progress(0, 10);
            p.pauseProbe();
            assertThat(p.maybeDecreaseTo(8, 3)).isFalse();
            assertThat(p.maybeDecreaseTo(10, 3)).isFalse();
            assertThat(p.next()).isEqualTo(10);
            assertThat(p.probeSent()).as("a stale rejection does not resume").isTrue();
        }

        @Test
        @DisplayName("probe: next moves to the hint+1, never above the rejected index nor to or below match")
        void decreaseInProbeUsesHint() {
            Progress p = progress(0, 10);
            p.pauseProbe();
            assertThat(p.maybeDecreaseTo(9, 4)).isTrue();
            assertThat(p.next()).isEqualTo(5);
            assertThat(p.probeSent()).isFalse();

            Progress above = progress(0, 10);
            assertThat(above.maybeDecreaseTo(9, 50)).isTrue();
            assertThat(above.next()).as("a hint past the rejection is capped at it").isEqualTo(9);

            Progress matched = progress(6, 10);
            assertThat(matched.maybeDecreaseTo(9, 1)).isTrue();
            assertThat(matched.next()).as("never at or below match").isEqualTo(7);
        }
    }

    @Test
    @DisplayName("toString shows state, positions and flags")
    void describes() {
        Progress p = progress(2, 3);
        p.setLearner(true);
        p.pauseProbe();
        assertThat(p).hasToString("PROBE match=2 next=3 learner paused");
        p.becomeSnapshot(9);
        assertThat(p.toString()).contains("SNAPSHOT", "pendingSnap=9");
    }
}
