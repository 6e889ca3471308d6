package io.flotilla.placement.operator;

/** What the controller did with a plan it was handed. */
public sealed interface SubmitResult permits SubmitResult.Accepted, SubmitResult.Rejected {

    boolean accepted();

    record Accepted(long operatorId) implements SubmitResult {
        @Override
        public boolean accepted() {
            return true;
        }
    }

    record Rejected(Reason reason, String detail) implements SubmitResult {
        @Override
        public boolean accepted() {
            return false;
        }
    }

    enum Reason {
        /** The range already has an operator (perhaps a manual one): never fight it. */
        RANGE_BUSY,
        /** The scheduler is paused; only manual operators start. */
        PAUSED,
        CLUSTER_LIMIT,
        NODE_LIMIT,
        RATE_LIMITED
    }
}
