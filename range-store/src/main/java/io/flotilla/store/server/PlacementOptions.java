package io.flotilla.store.server;

import io.flotilla.placement.cluster.LivenessConfig;
import io.flotilla.placement.driver.PlacementConfig;
import io.flotilla.placement.operator.OperatorLimits;

/**
 * How the node runs placement when it leads range 1: whether at all, how often the driver looks
 * at the cluster, when a silent node counts as suspect or dead and when its replicas are
 * replaced, and how many operators may run at once.
 *
 * @param enabled            false: this node never runs the placement driver
 * @param intervalMillis     the driver's period: one survey of every node and one tick per period
 * @param suspectAfterMillis a node silent this long receives no new replicas
 * @param deadAfterMillis    a node silent this long is dead
 * @param replaceAfterMillis a dead node's replicas are replaced once it has been silent this long
 * @param maxPerNode         operators that may load one node at once
 * @param maxClusterWide     operators that may run at once in the cluster
 * @param labels             what this node reports about itself (zone=a), for leader preferences by label
 */
public record PlacementOptions(boolean enabled, long intervalMillis, long suspectAfterMillis, long deadAfterMillis,
                               long replaceAfterMillis, int maxPerNode, int maxClusterWide,
                               java.util.Map<String, String> labels) {

    public PlacementOptions {
        labels = labels == null ? java.util.Map.of() : java.util.Map.copyOf(labels);
        if (intervalMillis < 10) {
            throw new IllegalArgumentException("--placement-interval-ms must be at least 10, got " + intervalMillis);
        }
        if (suspectAfterMillis <= 0 || deadAfterMillis < suspectAfterMillis || replaceAfterMillis < 0) {
            throw new IllegalArgumentException("need 0 < --suspect-after-ms <= --dead-after-ms and --replace-after-ms"
                    + " >= 0, got " + suspectAfterMillis + ", " + deadAfterMillis + " and " + replaceAfterMillis);
        }
        if (maxPerNode < 1 || maxClusterWide < 1) {
            throw new IllegalArgumentException("operator limits must be at least 1, got " + maxPerNode + " per node and "
                    + maxClusterWide + " cluster-wide");
        }
    }

    /** On, a tick a second, suspect after 10 s, dead after 60 s, replaced after 5 minutes; 4 per node, 16 in all. */
    public static PlacementOptions defaults() {
        return new PlacementOptions(true, 1_000, 10_000, 60_000, 300_000, 4, 16, java.util.Map.of());
    }

    public static PlacementOptions disabled() {
        return new PlacementOptions(false, 1_000, 10_000, 60_000, 300_000, 4, 16, java.util.Map.of());
    }

    /**
     * Parses {@code key=value,key=value}; keys must be non-empty and distinct.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static java.util.Map<String, String> parseLabels(String spec) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String entry : spec.split(",")) {
            int eq = entry.indexOf('=');
            String key = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (key.isEmpty() || out.put(key, entry.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("--labels entry '" + entry.trim() + "' is not a new key=value");
            }
        }
        return out;
    }

    public LivenessConfig liveness() {
        return new LivenessConfig(suspectAfterMillis, deadAfterMillis);
    }

    public PlacementConfig config() {
        return PlacementConfig.defaults().withReplaceAfter(replaceAfterMillis);
    }

    /**
     * The controller's limits: a step may wait for an election or a snapshot; the settle time
     * spans two driver periods, so the heartbeats show an operator's result before the range is
     * judged again.
     */
    public OperatorLimits limits() {
        return OperatorLimits.defaults().withConcurrency(maxPerNode, maxClusterWide)
                .withSettle(Math.max(2_000, 3 * intervalMillis));
    }
}
