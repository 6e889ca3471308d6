package io.flotilla.placement.simulation;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.driver.PlacementConfig;
import io.flotilla.placement.operator.OperatorLimits;

import java.util.Random;

/**
 * One kind of simulated run: how the cluster starts, what happens to it, what must hold after
 * every round, and what ends the run. Each seed draws its own sizes and faults from {@code random}.
 */
interface Scenario {

    String name();

    int maxRounds();

    FaultProfile faults(Random random);

    /** The operator limits of this run; the driver's own unless the scenario varies them. */
    default OperatorLimits limits(Random random, OperatorLimits base) {
        return base;
    }

    /** The placement settings of this run; the driver's own unless the scenario varies them. */
    default PlacementConfig config(PlacementConfig base) {
        return base;
    }

    void setUp(SimulatedCluster cluster, Random random);

    /** Events at the start of a round, before the cluster advances (kills, joins, growth). */
    void beforeRound(int round, SimulatedCluster cluster, Random random, EventLog log);

    /** What must hold after every round: a description of the breach, or null. */
    String check(Round round, SimulatedCluster cluster);

    /** Whether the goal is reached, which ends the run. */
    boolean done(Round round, SimulatedCluster cluster);

    /** What still stands between the run and its goal, for the message when it is not reached. */
    String progress(Round round, SimulatedCluster cluster);

    /** What must hold once done: a description of the breach, or null. */
    String verifyEnd(Round round, SimulatedCluster cluster);

    /** One round as the scenario sees it, after the driver's tick. */
    record Round(int number, ClusterView view, boolean idle, PlacementConfig config) {
    }
}
