package io.flotilla.placement.operator;

import io.flotilla.placement.operation.MoveReplica;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorControllerTest {

    private final ScriptedActions actions = new ScriptedActions();

    /** 2 per node, 3 cluster-wide, 100 starts/s, 1 s steps, 5 s catch-up, 2 tries, 500 ms backoff. */
    private final OperatorLimits limits = new OperatorLimits(2, 3, 100, 100, 1_000, 5_000, 2, 500, 10, 0);
    private final OperatorController controller = new OperatorController(actions, limits);

    private static OperatorPlan move(long range, long from, long to) {
        return MoveReplica.plan(OperatorKind.REPLICA_BALANCE, range, from, to, OptionalLong.empty(), "test");
    }

    private static OperatorPlan transfer(OperatorKind kind, long range, long from, long to) {
        return OperatorPlan.transferLeader(kind, range, from, to, "test");
    }

    private long accepted(SubmitResult result) {
        assertThat(result).isInstanceOf(SubmitResult.Accepted.class);
        return ((SubmitResult.Accepted) result).operatorId();
    }

    private SubmitResult.Reason rejected(SubmitResult result) {
        assertThat(result).isInstanceOf(SubmitResult.Rejected.class);
        return ((SubmitResult.Rejected) result).reason();
    }

    @Test
    void stepsRunOneAtATimeEachAfterThePreviousCompletes() {
        long id = accepted(controller.submit(move(1, 1, 4), 0));
        assertThat(actions.steps()).containsExactly(new Operation.AddLearner(1, 4));
        controller.tick(100);
        assertThat(actions.calls).as("nothing new until the step completes").hasSize(1);
        actions.last().future().complete(null);
        assertThat(actions.calls).as("a completion takes effect on the next tick").hasSize(1);
        controller.tick(200);
        assertThat(actions.last().step()).isEqualTo(new Operation.PromoteLearner(1, 4));
        actions.last().future().complete(null);
        controller.tick(300);
        actions.last().future().complete(null);
        controller.tick(400);
        assertThat(actions.steps()).containsExactly(new Operation.AddLearner(1, 4), new Operation.PromoteLearner(1, 4),
                new Operation.RemoveReplica(1, 1));
        assertThat(controller.operator(id).orElseThrow().state()).isEqualTo(OperatorState.SUCCEEDED);
        assertThat(controller.runningCount()).isZero();
        assertThat(controller.busyRanges()).isEmpty();
    }

    @Test
    void aRangeWithAnOperatorGetsNoSecondOneSoManualChangesAreNotFought() {
        long manual = accepted(controller.submit(transfer(OperatorKind.MANUAL, 1, 1, 2), 0));
        assertThat(rejected(controller.submit(move(1, 1, 4), 0))).isEqualTo(SubmitResult.Reason.RANGE_BUSY);
        assertThat(controller.busyRanges()).containsExactly(1L);
        assertThat(controller.operator(manual).orElseThrow().state()).isEqualTo(OperatorState.RUNNING);
    }

    @Test
    void perNodeAndClusterWideLimitsRefuseScheduledOperators() {
        accepted(controller.submit(move(1, 1, 4), 0));
        accepted(controller.submit(move(2, 2, 4), 0));
        assertThat(rejected(controller.submit(move(3, 3, 4), 0))).as("n4 has 2").isEqualTo(SubmitResult.Reason.NODE_LIMIT);
        accepted(controller.submit(move(3, 3, 5), 0));
        assertThat(rejected(controller.submit(move(4, 6, 7), 0))).isEqualTo(SubmitResult.Reason.CLUSTER_LIMIT);
        assertThat(controller.usedPerNode()).containsEntry(4L, 2).containsEntry(5L, 1);
    }

    @Test
    void manualOperatorsSkipTheLimitsButCountAgainstThem() {
        accepted(controller.submit(move(1, 1, 4), 0));
        accepted(controller.submit(move(2, 2, 4), 0));
        accepted(controller.submit(MoveReplica.plan(OperatorKind.MANUAL, 3, 3, 4, OptionalLong.empty(), "admin"), 0));
        assertThat(controller.usedPerNode()).containsEntry(4L, 3);
        assertThat(rejected(controller.submit(move(4, 5, 6), 0))).isEqualTo(SubmitResult.Reason.CLUSTER_LIMIT);
        assertThat(controller.budget(0).clusterSlots()).isZero();
    }

    @Test
    void theStartRateIsLimitedByATokenBucket() {
        OperatorController slow = new OperatorController(actions, limits.withConcurrency(100, 100).withRate(2, 2));
        accepted(slow.submit(move(1, 1, 2), 0));
        accepted(slow.submit(move(2, 1, 2), 0));
        assertThat(rejected(slow.submit(move(3, 1, 2), 0))).isEqualTo(SubmitResult.Reason.RATE_LIMITED);
        assertThat(rejected(slow.submit(move(3, 1, 2), 400))).as("0.8 tokens by 400 ms")
                .isEqualTo(SubmitResult.Reason.RATE_LIMITED);
        accepted(slow.submit(move(3, 1, 2), 500));
        assertThat(slow.budget(500).clusterSlots()).isZero();
        assertThat(slow.budget(1500).clusterSlots()).isEqualTo(2);
    }

    @Test
    void aFailedStepIsRetriedAfterBackoffAndFailsTheOperatorWhenTriesRunOut() {
        long id = accepted(controller.submit(move(1, 1, 4), 0));
        actions.last().future().completeExceptionally(new IllegalStateException("not leader"));
        controller.tick(100);
        OperatorStatus status = controller.operator(id).orElseThrow();
        assertThat(status.state()).isEqualTo(OperatorState.RUNNING);
        assertThat(status.lastError()).contains("not leader");
        assertThat(actions.calls).hasSize(1);
        controller.tick(599);
        assertThat(actions.calls).as("backoff not over").hasSize(1);
        controller.tick(600);
        assertThat(actions.steps()).containsExactly(new Operation.AddLearner(1, 4), new Operation.AddLearner(1, 4));
        actions.last().future().completeExceptionally(new IllegalStateException("still not leader"));
        controller.tick(700);
        assertThat(controller.operator(id).orElseThrow().state()).isEqualTo(OperatorState.FAILED);
        assertThat(controller.busyRanges()).isEmpty();
    }

    @Test
    void aStepTimesOutAndALateAnswerToTheAbandonedTryIsIgnored() {
        long id = accepted(controller.submit(move(1, 1, 4), 0));
        ScriptedActions.Call first = actions.last();
        controller.tick(1_000);
        assertThat(controller.operator(id).orElseThrow().lastError()).contains("timed out");
        controller.tick(1_500);
        assertThat(actions.calls).as("retried after backoff").hasSize(2);
        first.future().complete(null);
        controller.tick(1_600);
        assertThat(controller.operator(id).orElseThrow().currentStep()).as("the late answer moved nothing").isZero();
        actions.last().future().complete(null);
        controller.tick(1_700);
        assertThat(controller.operator(id).orElseThrow().currentStep()).isEqualTo(1);
    }

    @Test
    void aPromotionMayTakeTheLongerCatchUpTimeout() {
        long id = accepted(controller.submit(move(1, 1, 4), 0));
        actions.last().future().complete(null);
        controller.tick(10);
        controller.tick(4_000);
        assertThat(controller.operator(id).orElseThrow().lastError()).isEmpty();
        controller.tick(5_010);
        assertThat(controller.operator(id).orElseThrow().lastError()).contains("timed out: promote:n4");
    }

    @Test
    void anActionThatThrowsCountsAsAFailedTry() {
        RangeActions broken = new ScriptedActions() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> addLearner(long rangeId, long nodeId) {
                throw new IllegalArgumentException("no such range");
            }
        };
        OperatorController c = new OperatorController(broken, limits);
        long id = accepted(c.submit(move(1, 1, 4), 0));
        c.tick(0);
        assertThat(c.operator(id).orElseThrow().lastError()).contains("no such range");
    }

    @Test
    void cancelStopsAnOperatorAndIgnoresItsInFlightStep() {
        long id = accepted(controller.submit(move(1, 1, 4), 0));
        assertThat(controller.cancel(id, 50)).isEqualTo(CancelOutcome.CANCELLED);
        actions.last().future().complete(null);
        controller.tick(100);
        assertThat(actions.calls).hasSize(1);
        assertThat(controller.operator(id).orElseThrow().state()).isEqualTo(OperatorState.CANCELLED);
        assertThat(controller.cancel(id, 100)).isEqualTo(CancelOutcome.ALREADY_FINISHED);
        assertThat(controller.cancel(999, 100)).isEqualTo(CancelOutcome.UNKNOWN_OPERATOR);
        accepted(controller.submit(move(1, 1, 4), 100));
    }

    @Test
    void pauseHoldsScheduledOperatorsBetweenStepsButLetsManualOnesRun() {
        long scheduled = accepted(controller.submit(move(1, 1, 4), 0));
        long manual = accepted(controller.submit(MoveReplica.plan(OperatorKind.MANUAL, 2, 2, 5, OptionalLong.empty(), ""), 0));
        controller.pause();
        assertThat(rejected(controller.submit(move(3, 3, 6), 0))).isEqualTo(SubmitResult.Reason.PAUSED);
        assertThat(controller.budget(0).clusterSlots()).isZero();
        actions.calls.forEach(c -> c.future().complete(null));
        controller.tick(100);
        assertThat(controller.operator(scheduled).orElseThrow().currentStep()).isEqualTo(1);
        assertThat(actions.steps()).as("only the manual operator went on").contains(new Operation.PromoteLearner(2, 5))
                .doesNotContain(new Operation.PromoteLearner(1, 4));
        controller.resume();
        controller.tick(200);
        assertThat(actions.steps()).contains(new Operation.PromoteLearner(1, 4));
        assertThat(controller.operator(manual).orElseThrow().state()).isEqualTo(OperatorState.RUNNING);
    }

    @Test
    void statusListsRunningOperatorsThenTheNewestFinishedWithinTheHistoryBound() {
        OperatorController c = new OperatorController(actions, new OperatorLimits(10, 10, 100, 100, 1_000, 1_000, 1, 0, 2, 0));
        for (long r = 1; r <= 3; r++) {
            accepted(c.submit(transfer(OperatorKind.LEADER_BALANCE, r, 1, 2), 0));
            actions.last().future().complete(null);
        }
        c.tick(10);
        long running = accepted(c.submit(transfer(OperatorKind.LEADER_BALANCE, 4, 1, 2), 10));
        assertThat(c.operators()).extracting(OperatorStatus::operatorId).containsExactly(running, 3L, 2L);
        assertThat(c.operators()).extracting(OperatorStatus::state)
                .containsExactly(OperatorState.RUNNING, OperatorState.SUCCEEDED, OperatorState.SUCCEEDED);
    }

    @Test
    void aRangeStaysBusyForTheSettleTimeAfterItsOperatorEnds() {
        OperatorController c = new OperatorController(actions, limits.withSettle(1_000));
        accepted(c.submit(transfer(OperatorKind.LEADER_BALANCE, 1, 1, 2), 0));
        actions.last().future().complete(null);
        c.tick(100);
        assertThat(c.runningCount()).isZero();
        assertThat(c.busyRanges()).containsExactly(1L);
        c.tick(1_099);
        assertThat(c.busyRanges()).containsExactly(1L);
        c.tick(1_100);
        assertThat(c.busyRanges()).isEmpty();
    }

    @Test
    void pendingStepsAreTheUnfinishedStepsOfRunningOperators() {
        accepted(controller.submit(move(1, 1, 4), 0));
        actions.last().future().complete(null);
        controller.tick(10);
        assertThat(controller.pendingSteps())
                .containsExactly(new Operation.PromoteLearner(1, 4), new Operation.RemoveReplica(1, 1));
        assertThat(controller.budget(10).fits(Set.of(4L))).isTrue();
    }

    @Test
    void aHeldRangeCancelsItsScheduledOperatorAndTakesNoNewOneUntilTheHoldEnds() {
        long id = accepted(controller.submit(move(7, 1, 4), 0));
        assertThat(controller.hold(7, 1_000)).contains(id);
        assertThat(controller.operator(id).orElseThrow().state()).isEqualTo(OperatorState.CANCELLED);
        assertThat(controller.busyRanges()).contains(7L);
        assertThat(rejected(controller.submit(move(7, 1, 4), 10))).isEqualTo(SubmitResult.Reason.RANGE_BUSY);
        controller.tick(999);
        assertThat(controller.busyRanges()).as("held until 1000").contains(7L);
        controller.tick(1_000);
        assertThat(controller.busyRanges()).doesNotContain(7L);
        accepted(controller.submit(move(7, 1, 4), 1_000));
    }

    @Test
    void aHoldLeavesAManualOperatorRunning() {
        long id = accepted(controller.submit(transfer(OperatorKind.MANUAL, 8, 1, 2), 0));
        assertThat(controller.hold(8, 500)).isEmpty();
        assertThat(controller.operator(id).orElseThrow().state()).isEqualTo(OperatorState.RUNNING);
    }
}
