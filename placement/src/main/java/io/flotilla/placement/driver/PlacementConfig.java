package io.flotilla.placement.driver;

import io.flotilla.placement.balance.BalanceTolerance;
import io.flotilla.placement.split.SplitConfig;

/**
 * Every placement policy knob in one place.
 *
 * @param replicationFactor  voters every range should have
 * @param replaceAfterMillis how long after its last heartbeat a dead node's replicas are replaced
 * @param maxFullness        nodes whose disk is fuller than this share receive no new replicas
 */
public record PlacementConfig(int replicationFactor, SplitConfig split, BalanceTolerance replicaTolerance,
                              BalanceTolerance leaderTolerance, long replaceAfterMillis, double maxFullness) {

    public PlacementConfig {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        if (split == null || replicaTolerance == null || leaderTolerance == null) {
            throw new IllegalArgumentException("split config and tolerances are required");
        }
        if (replaceAfterMillis < 0 || !(maxFullness > 0 && maxFullness <= 1)) {
            throw new IllegalArgumentException("need a non-negative replace delay and a fullness in (0, 1], got "
                    + replaceAfterMillis + " and " + maxFullness);
        }
    }

    /** Three replicas, 64 MiB ranges, ±1 or ±5% balance, replacement after five minutes dead. */
    public static PlacementConfig defaults() {
        return new PlacementConfig(3, SplitConfig.defaults(), BalanceTolerance.defaults(), BalanceTolerance.defaults(),
                300_000, 0.95);
    }

    public PlacementConfig withReplaceAfter(long millis) {
        return new PlacementConfig(replicationFactor, split, replicaTolerance, leaderTolerance, millis, maxFullness);
    }

    public PlacementConfig withSplit(SplitConfig newSplit) {
        return new PlacementConfig(replicationFactor, newSplit, replicaTolerance, leaderTolerance, replaceAfterMillis,
                maxFullness);
    }

    public PlacementConfig withReplicationFactor(int factor) {
        return new PlacementConfig(factor, split, replicaTolerance, leaderTolerance, replaceAfterMillis, maxFullness);
    }
}
