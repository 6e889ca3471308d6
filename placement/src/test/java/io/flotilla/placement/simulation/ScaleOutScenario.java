package io.flotilla.placement.simulation;

import io.flotilla.placement.driver.PlacementConfig;

import java.util.List;
import java.util.Random;

/**
 * Three nodes hold 200 three-replica ranges; an empty fourth joins. Within {@link #maxRounds()}
 * rounds replica counts and leader counts on all four nodes must be within tolerance of the
 * mean (±1 or ±5%), which puts about a quarter of each on the new node.
 */
final class ScaleOutScenario implements Scenario {

    static final int RANGES = 200;

    @Override
    public String name() {
        return "scale-out";
    }

    @Override
    public int maxRounds() {
        return 400;
    }

    @Override
    public FaultProfile faults(Random random) {
        return new FaultProfile(0.02, 0.005, 2);
    }

    @Override
    public void setUp(SimulatedCluster cluster, Random random) {
        Layouts.nodes(cluster, random, 3, false);
        long step = SimRange.KEY_SPACE / RANGES;
        for (int i = 0; i < RANGES; i++) {
            long end = i == RANGES - 1 ? SimRange.KEY_SPACE : (i + 1) * step;
            cluster.addRange(i * step, end, List.of(1L, 2L, 3L), 1 + random.nextInt(3),
                    (1 + random.nextInt(32)) * SimulatedCluster.MIB, random.nextInt(300), random.nextInt(200));
        }
    }

    @Override
    public void beforeRound(int round, SimulatedCluster cluster, Random random, EventLog log) {
        if (round == 1) {
            cluster.addNode(4, "");
            log.add("r1 node 4 joins");
        }
    }

    @Override
    public String check(Round round, SimulatedCluster cluster) {
        return SimChecks.everyRangeHasQuorum(cluster);
    }

    @Override
    public boolean done(Round round, SimulatedCluster cluster) {
        PlacementConfig config = round.config();
        return round.view().node(4).isPresent()
                && SimChecks.replicasBalanced(round.view(), config.replicaTolerance()) == null
                && SimChecks.leadersBalanced(round.view(), config.leaderTolerance()) == null;
    }

    @Override
    public String progress(Round round, SimulatedCluster cluster) {
        PlacementConfig config = round.config();
        return SimChecks.replicasBalanced(round.view(), config.replicaTolerance()) + "; "
                + SimChecks.leadersBalanced(round.view(), config.leaderTolerance());
    }

    @Override
    public String verifyEnd(Round round, SimulatedCluster cluster) {
        return SimChecks.fullyReplicated(cluster, round.config().replicationFactor(), java.util.Set.of(), false);
    }
}
