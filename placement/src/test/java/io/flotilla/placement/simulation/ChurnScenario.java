package io.flotilla.placement.simulation;

import io.flotilla.placement.driver.PlacementConfig;
import io.flotilla.placement.operator.OperatorLimits;

import java.util.ArrayList;
import java.util.Random;

/**
 * A skewed cluster of 3-6 nodes (zoned or not) with 20-80 ranges, some too big or too busy,
 * growing for the first rounds, under random limits and faults. Once growth stops and placement
 * has nothing left to do: every range is split below the limits and fully replicated, and
 * leader counts are within ±1 per node (or ±5%).
 */
final class ChurnScenario implements Scenario {

    private static final int GROWTH_ROUNDS = 30;

    @Override
    public String name() {
        return "churn";
    }

    @Override
    public int maxRounds() {
        return 1_000;
    }

    @Override
    public FaultProfile faults(Random random) {
        return new FaultProfile(random.nextDouble() * 0.1, random.nextDouble() * 0.02, 1 + random.nextInt(3));
    }

    @Override
    public OperatorLimits limits(Random random, OperatorLimits base) {
        return base.withConcurrency(1 + random.nextInt(4), 2 + random.nextInt(15))
                .withRate(1 + random.nextInt(8), 1 + random.nextInt(10));
    }

    @Override
    public void setUp(SimulatedCluster cluster, Random random) {
        int nodes = 3 + random.nextInt(4);
        Layouts.nodes(cluster, random, nodes, random.nextBoolean());
        Layouts.ranges(cluster, random, 20 + random.nextInt(61), nodes, 3, 1.5);
        for (SimRange r : cluster.ranges().values()) {
            double p = random.nextDouble();
            if (p < 0.1) {
                r.bytes = (70 + random.nextInt(130)) * SimulatedCluster.MIB;
            } else if (p < 0.2) {
                r.reads = 1_500 + random.nextInt(3_500);
                r.writes = 500;
            }
        }
    }

    @Override
    public void beforeRound(int round, SimulatedCluster cluster, Random random, EventLog log) {
        if (round > GROWTH_ROUNDS) {
            return;
        }
        ArrayList<SimRange> ranges = new ArrayList<>(cluster.ranges().values());
        for (int i = 0; i < 2; i++) {
            SimRange r = ranges.get(random.nextInt(ranges.size()));
            r.bytes += random.nextInt(5) * SimulatedCluster.MIB;
        }
    }

    @Override
    public String check(Round round, SimulatedCluster cluster) {
        return SimChecks.everyRangeHasQuorum(cluster);
    }

    @Override
    public boolean done(Round round, SimulatedCluster cluster) {
        return round.number() > GROWTH_ROUNDS && round.idle();
    }

    @Override
    public String progress(Round round, SimulatedCluster cluster) {
        String breach = verifyEnd(round, cluster);
        return breach != null ? breach : "placement never went idle";
    }

    @Override
    public String verifyEnd(Round round, SimulatedCluster cluster) {
        PlacementConfig config = round.config();
        for (SimRange r : cluster.ranges().values()) {
            if (r.bytes >= config.split().maxRangeBytes() || r.reads + r.writes >= config.split().loadThreshold()) {
                return "range " + r.id + " was left unsplit: " + r.bytes + " B, " + (r.reads + r.writes) + "/s";
            }
        }
        String replication = SimChecks.fullyReplicated(cluster, config.replicationFactor(), java.util.Set.of(), true);
        return replication != null ? replication : SimChecks.leadersBalanced(round.view(), config.leaderTolerance());
    }
}
