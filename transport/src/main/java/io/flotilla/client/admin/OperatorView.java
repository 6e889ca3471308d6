package io.flotilla.client.admin;

import io.flotilla.transport.proto.OperatorInfo;

/**
 * One placement operator as the driver reports it.
 *
 * @param kind        repair, decommission, split, replica_balance, leader_balance or manual
 * @param state       running, succeeded, failed or cancelled
 * @param currentStep the step running or next (equal to {@code steps} once done)
 */
public record OperatorView(long operatorId, long rangeId, String kind, String state, String description,
        int currentStep, int steps, int attempt, long startedAtMs, long updatedAtMs, String lastError) {
    static OperatorView from(OperatorInfo o) {
        return new OperatorView(o.getOperatorId(), o.getRangeId(), o.getKind(), o.getState(), o.getDescription(),
                o.getCurrentStep(), o.getSteps(), o.getAttempt(), o.getStartedAtMs(), o.getUpdatedAtMs(),
                o.getLastError());
    }
}
