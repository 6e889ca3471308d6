package io.flotilla.engine.simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Where each group's three replicas live: three distinct nodes per group, drawn from the seed. */
final class Placement {
    static final int REPLICAS = 3;

    private final Map<Long, List<Long>> nodesOfGroup = new TreeMap<>();
    private final Map<Long, List<Long>> groupsOnNode = new TreeMap<>();

    static Placement random(int nodes, int groups, SplittableRandom random) {
        Placement p = new Placement();
        List<Long> all = new ArrayList<>();
        for (long n = 1; n <= nodes; n++) {
            all.add(n);
            p.groupsOnNode.put(n, new ArrayList<>());
        }
        for (long g = 1; g <= groups; g++) {
            // A partial Fisher-Yates shuffle: the first three are a uniform choice of distinct nodes.
            for (int i = 0; i < REPLICAS; i++) {
                Collections.swap(all, i, i + random.nextInt(all.size() - i));
            }
            List<Long> chosen = new ArrayList<>(all.subList(0, REPLICAS));
            Collections.sort(chosen);
            p.nodesOfGroup.put(g, List.copyOf(chosen));
            for (long n : chosen) {
                p.groupsOnNode.get(n).add(g);
            }
        }
        return p;
    }

    List<Long> nodesOf(long group) {
        return nodesOfGroup.get(group);
    }

    List<Long> groupsOn(long node) {
        return groupsOnNode.getOrDefault(node, List.of());
    }

    int groups() {
        return nodesOfGroup.size();
    }
}
