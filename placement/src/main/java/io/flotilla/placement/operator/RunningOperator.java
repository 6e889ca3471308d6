package io.flotilla.placement.operator;

import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;

/** The controller's mutable record of one live operator; only the controller touches it. */
final class RunningOperator {

    static final long NOT_SCHEDULED = Long.MAX_VALUE;

    final long id;
    final OperatorPlan plan;
    final long startedAtMillis;
    long updatedAtMillis;
    int stepIndex;
    /** Tries made of the current step. */
    int attempt;
    /** Identifies the current try, so that a late answer to an abandoned try is ignored. */
    int tryToken;
    boolean inFlight;
    long deadlineMillis;
    /** When the current step may next be tried, while not in flight. */
    long nextTryAtMillis;
    String lastError = "";

    RunningOperator(long id, OperatorPlan plan, long nowMillis) {
        this.id = id;
        this.plan = plan;
        this.startedAtMillis = nowMillis;
        this.updatedAtMillis = nowMillis;
        this.nextTryAtMillis = nowMillis;
    }

    Operation currentStep() {
        return plan.steps().get(stepIndex);
    }

    boolean isManual() {
        return plan.kind() == OperatorKind.MANUAL;
    }

    boolean isDone() {
        return stepIndex >= plan.steps().size();
    }

    OperatorStatus status(OperatorState state) {
        return new OperatorStatus(id, plan, state, stepIndex, attempt, startedAtMillis, updatedAtMillis, lastError);
    }
}
