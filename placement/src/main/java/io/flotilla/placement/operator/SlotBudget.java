package io.flotilla.placement.operator;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How many more scheduled operators may start now, cluster-wide and per node: a snapshot of
 * the controller's limits that policies draw from while planning, so they stop proposing what
 * the controller would refuse. The controller checks again when it is handed the plans.
 */
public final class SlotBudget {

    private int cluster;
    private final int perNodeLimit;
    private final Map<Long, Integer> usedPerNode;

    SlotBudget(int cluster, int perNodeLimit, Map<Long, Integer> usedPerNode) {
        this.cluster = cluster;
        this.perNodeLimit = perNodeLimit;
        this.usedPerNode = new HashMap<>(usedPerNode);
    }

    /**
     * A budget of {@code cluster} operators, each node taking at most {@code perNodeLimit}
     * including the {@code usedPerNode} already running.
     */
    public static SlotBudget of(int cluster, int perNodeLimit, Map<Long, Integer> usedPerNode) {
        if (cluster < 0 || perNodeLimit < 0) {
            throw new IllegalArgumentException("slot counts must not be negative");
        }
        return new SlotBudget(cluster, perNodeLimit, usedPerNode);
    }

    /** A budget that never runs out: for dry runs that show a whole plan. */
    public static SlotBudget unlimited() {
        return new SlotBudget(Integer.MAX_VALUE, Integer.MAX_VALUE, Map.of());
    }

    public int clusterSlots() {
        return cluster;
    }

    /** Whether an operator loading {@code nodes} fits. */
    public boolean fits(Set<Long> nodes) {
        if (cluster < 1) {
            return false;
        }
        for (long node : nodes) {
            if (usedPerNode.getOrDefault(node, 0) >= perNodeLimit) {
                return false;
            }
        }
        return true;
    }

    /** Whether one more operator loading {@code node} fits. */
    public boolean fitsNode(long node) {
        return cluster >= 1 && usedPerNode.getOrDefault(node, 0) < perNodeLimit;
    }

    /** An independent copy, to try a group of operators on without spending these slots. */
    public SlotBudget copy() {
        return new SlotBudget(cluster, perNodeLimit, usedPerNode);
    }

    /** Takes a slot for an operator loading {@code nodes}, if it fits. */
    public boolean tryTake(Set<Long> nodes) {
        if (!fits(nodes)) {
            return false;
        }
        cluster--;
        for (long node : nodes) {
            usedPerNode.merge(node, 1, Integer::sum);
        }
        return true;
    }
}
