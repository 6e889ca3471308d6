package io.flotilla.raft.simulation;

/** A run that broke an invariant, missed the liveness bound or crashed: says how to replay it. */
final class SimulationFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final long seed;

    SimulationFailure(long seed, long event, String history, Throwable cause) {
        super("simulation seed " + seed + " failed at event #" + event + ": " + cause
                + "\nlast events:\n" + history
                + "replay: ./mvnw -pl multiraft test -Dtest=RaftSimulationTest -Dflotilla.sim.seed=" + seed, cause);
        this.seed = seed;
    }

    long seed() {
        return seed;
    }
}
