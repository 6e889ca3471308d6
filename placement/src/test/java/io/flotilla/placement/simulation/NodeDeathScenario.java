package io.flotilla.placement.simulation;


import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * 4-6 nodes with 30-100 ranges; a random node dies, and once every range is whole again a
 * second one dies (when at least three would remain). No range may lose its quorum on the way,
 * and after each death every range must end up with three voters on live nodes.
 */
final class NodeDeathScenario implements Scenario {

    private int killAt;
    private int kills;
    private int maxKills;
    private int repairedAt = -1;
    private final Set<Long> dead = new TreeSet<>();

    @Override
    public String name() {
        return "node-death";
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
        Layouts.ranges(cluster, random, 30 + random.nextInt(71), nodes, 3, 0);
        killAt = 5 + random.nextInt(10);
        maxKills = nodes >= 5 ? 2 : 1;
    }

    @Override
    public void beforeRound(int round, SimulatedCluster cluster, Random random, EventLog log) {
        boolean due = kills == 0 ? round == killAt : kills < maxKills && repairedAt > 0 && round == repairedAt + 3;
        if (!due) {
            return;
        }
        List<Long> live = new ArrayList<>();
        cluster.nodes().values().stream().filter(n -> n.alive).forEach(n -> live.add(n.id));
        long victim = live.get(random.nextInt(live.size()));
        cluster.kill(victim);
        dead.add(victim);
        kills++;
        repairedAt = -1;
        log.add("r" + round + " node " + victim + " dies");
    }

    @Override
    public String check(Round round, SimulatedCluster cluster) {
        return SimChecks.everyRangeHasQuorum(cluster);
    }

    @Override
    public boolean done(Round round, SimulatedCluster cluster) {
        if (kills == 0 || repairedAt > 0) {
            return false;
        }
        if (SimChecks.fullyReplicated(cluster, round.config().replicationFactor(), dead, true) == null) {
            repairedAt = round.number();
        }
        return repairedAt > 0 && kills == maxKills;
    }

    @Override
    public String progress(Round round, SimulatedCluster cluster) {
        return kills + " of " + maxKills + " nodes killed " + dead + "; "
                + SimChecks.fullyReplicated(cluster, round.config().replicationFactor(), dead, true);
    }

    @Override
    public String verifyEnd(Round round, SimulatedCluster cluster) {
        return null;
    }
}
