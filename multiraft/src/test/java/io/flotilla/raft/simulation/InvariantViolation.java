package io.flotilla.raft.simulation;

/** A safety property of Raft was broken; the message names the property and the evidence. */
final class InvariantViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    InvariantViolation(String message) {
        super(message);
    }
}
