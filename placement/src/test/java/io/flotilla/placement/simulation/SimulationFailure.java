package io.flotilla.placement.simulation;

/** A seed that broke a rule; the message says how to replay it. */
final class SimulationFailure extends RuntimeException {

    private final long seed;

    SimulationFailure(String scenario, long seed, int round, String breach, String events) {
        super(scenario + " seed " + seed + " broke a rule at round " + round + ": " + breach
                + "\nreplay: ./mvnw -pl placement test -Dtest=PlacementSimulationTest -Dflotilla.placement.sim.seed=" + seed
                + "\nlast events:\n" + events, null, false, false);
        this.seed = seed;
    }

    long seed() {
        return seed;
    }
}
