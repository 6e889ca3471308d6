package io.flotilla.placement.operator;

import io.flotilla.placement.operation.OperatorPlan;

/**
 * One operator as the admin listing shows it.
 *
 * @param currentStep index of the step running or next to run; equals the step count when done
 * @param attempt     tries made of the current step so far
 * @param lastError   why the last try failed, or empty
 */
public record OperatorStatus(long operatorId, OperatorPlan plan, OperatorState state, int currentStep, int attempt,
                             long startedAtMillis, long updatedAtMillis, String lastError) {

    public long rangeId() {
        return plan.rangeId();
    }
}
