package io.flotilla.engine;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a group's replicas live: replica id -> node id, immutable, in two sorted arrays. A
 * membership change makes a new table. Tables are values, so a node can share one among every
 * group placed alike (see {@link NodeEngine}): a hundred thousand groups over a few nodes have
 * few distinct tables.
 */
final class RouteTable {
    private final long[] replicas;
    private final long[] nodes;
    private final int hash;

    private RouteTable(long[] replicas, long[] nodes) {
        this.replicas = replicas;
        this.nodes = nodes;
        this.hash = 31 * Arrays.hashCode(replicas) + Arrays.hashCode(nodes);
    }

    /** @throws IllegalArgumentException for a non-positive replica or node id */
    static RouteTable of(Map<Long, Long> replicaNodes) {
        TreeMap<Long, Long> sorted = new TreeMap<>(replicaNodes);
        long[] r = new long[sorted.size()];
        long[] n = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : sorted.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getKey() <= 0 || e.getValue() <= 0) {
                throw new IllegalArgumentException("replica and node ids must be positive: " + replicaNodes);
            }
            r[i] = e.getKey();
            n[i] = e.getValue();
            i++;
        }
        return new RouteTable(r, n);
    }

    /** The node of {@code replica}, or 0 when unknown. */
    long nodeOf(long replica) {
        int i = Arrays.binarySearch(replicas, replica);
        return i < 0 ? 0 : nodes[i];
    }

    boolean hasReplicaOn(long node) {
        for (long n : nodes) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }

    /** This table with {@code more} added (replacing the node of a replica already known). */
    RouteTable with(Map<Long, Long> more) {
        if (more.isEmpty()) {
            return this;
        }
        TreeMap<Long, Long> all = new TreeMap<>();
        for (int i = 0; i < replicas.length; i++) {
            all.put(replicas[i], nodes[i]);
        }
        all.putAll(more);
        return of(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteTable t && t.hash == hash && Arrays.equals(t.replicas, replicas)
                && Arrays.equals(t.nodes, nodes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < replicas.length; i++) {
            s.append(i == 0 ? "" : ", ").append(replicas[i]).append("->").append(nodes[i]);
        }
        return s.append('}').toString();
    }
}
