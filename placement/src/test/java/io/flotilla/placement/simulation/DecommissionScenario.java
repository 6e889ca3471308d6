package io.flotilla.placement.simulation;

import io.flotilla.placement.cluster.AdminState;

import java.util.Random;
import java.util.Set;

/**
 * 4-6 nodes with 30-100 ranges; a random node is decommissioned. At every round every range
 * keeps at least three voters, all on live nodes (so it never runs short, let alone loses its
 * quorum); in the end the node holds nothing and is REMOVED (marking it while it still held a
 * replica is a violation the model records).
 */
final class DecommissionScenario implements Scenario {

    private int decommissionAt;
    private long node;

    @Override
    public String name() {
        return "decommission";
    }

    @Override
    public int maxRounds() {
        return 800;
    }

    @Override
    public FaultProfile faults(Random random) {
        return new FaultProfile(0.03, 0.005, 2);
    }

    @Override
    public void setUp(SimulatedCluster cluster, Random random) {
        int nodes = 4 + random.nextInt(3);
        Layouts.nodes(cluster, random, nodes, random.nextBoolean());
        Layouts.ranges(cluster, random, 30 + random.nextInt(71), nodes, 3, 0.5);
        decommissionAt = 5 + random.nextInt(10);
        node = 1 + random.nextInt(nodes);
    }

    @Override
    public void beforeRound(int round, SimulatedCluster cluster, Random random, EventLog log) {
        if (round == decommissionAt) {
            cluster.decommission(node);
            log.add("r" + round + " node " + node + " decommissioned");
        }
    }

    @Override
    public String check(Round round, SimulatedCluster cluster) {
        return SimChecks.fullyReplicated(cluster, round.config().replicationFactor(), Set.of(), false);
    }

    @Override
    public boolean done(Round round, SimulatedCluster cluster) {
        if (cluster.nodes().get(node).admin != AdminState.REMOVED) {
            return false;
        }
        return cluster.ranges().values().stream().noneMatch(r -> r.replicaOn(node) != null);
    }

    @Override
    public String progress(Round round, SimulatedCluster cluster) {
        long left = cluster.ranges().values().stream().filter(r -> r.replicaOn(node) != null).count();
        return "node " + node + " is " + cluster.nodes().get(node).admin + " and holds " + left + " replicas";
    }

    @Override
    public String verifyEnd(Round round, SimulatedCluster cluster) {
        return null;
    }
}
