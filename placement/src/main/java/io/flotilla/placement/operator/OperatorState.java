package io.flotilla.placement.operator;

public enum OperatorState {
    RUNNING,
    SUCCEEDED,
    /** A step failed on every attempt, or timed out on the last one. */
    FAILED,
    CANCELLED;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
