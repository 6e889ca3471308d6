package io.flotilla.placement.simulation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Initial cluster shapes the scenarios start from. */
final class Layouts {

    private Layouts() {
    }

    /** Nodes 1..count; with zones, each in a random one of three. */
    static void nodes(SimulatedCluster cluster, Random random, int count, boolean zoned) {
        for (long id = 1; id <= count; id++) {
            cluster.addNode(id, zoned ? String.valueOf("abc".charAt(random.nextInt(3))) : "");
        }
    }

    /**
     * {@code count} ranges evenly cutting the key space, each on {@code factor} distinct nodes
     * among {@code 1..nodes}; {@code skew} > 0 favours low node ids for replicas and leaders.
     */
    static void ranges(SimulatedCluster cluster, Random random, int count, int nodes, int factor, double skew) {
        long step = SimRange.KEY_SPACE / count;
        for (int i = 0; i < count; i++) {
            long start = i * step;
            long end = i == count - 1 ? SimRange.KEY_SPACE : (i + 1) * step;
            List<Long> ids = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            for (long n = 1; n <= nodes; n++) {
                ids.add(n);
                scores.add(random.nextDouble() * (1 + skew * n));
            }
            List<Long> order = new ArrayList<>(ids);
            order.sort(Comparator.comparingDouble(n -> scores.get((int) (n - 1))));
            List<Long> voters = order.subList(0, factor);
            long leader = random.nextDouble() < skew / (1 + skew) ? voters.stream().min(Long::compare).orElseThrow()
                    : voters.get(random.nextInt(voters.size()));
            long bytes = (1 + random.nextInt(32)) * SimulatedCluster.MIB;
            cluster.addRange(start, end, new ArrayList<>(voters), leader, bytes, random.nextInt(300), random.nextInt(200));
        }
    }
}
