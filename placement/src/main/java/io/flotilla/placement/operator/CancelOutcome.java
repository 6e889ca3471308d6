package io.flotilla.placement.operator;

public enum CancelOutcome {
    CANCELLED,
    /** It had already succeeded, failed or been cancelled. */
    ALREADY_FINISHED,
    UNKNOWN_OPERATOR
}
