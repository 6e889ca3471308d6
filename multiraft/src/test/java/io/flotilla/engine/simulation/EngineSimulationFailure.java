package io.flotilla.engine.simulation;

/** A run that broke an invariant, missed a liveness bound or crashed: it says how to replay it. */
final class EngineSimulationFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final long seed;

    EngineSimulationFailure(RunShape shape, long event, String tail, Throwable cause) {
        super("engine simulation " + shape + "\nfailed at event #" + event + ": " + cause
                + "\nlast events:\n" + tail
                + "replay: ./mvnw -pl multiraft test -Dtest=EngineSimulationTest -Dflotilla.engine.sim.seed="
                + shape.seed(), cause);
        this.seed = shape.seed();
    }

    long seed() {
        return seed;
    }
}
