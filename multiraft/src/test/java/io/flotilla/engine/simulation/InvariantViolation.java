package io.flotilla.engine.simulation;

/** A safety or liveness property the simulation checks did not hold. */
final class InvariantViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    InvariantViolation(String message) {
        super(message);
    }
}
