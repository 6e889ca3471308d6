package io.flotilla.placement.cluster;

import java.util.List;

/**
 * What one replica says about its range in a store heartbeat: the descriptor it holds, whether
 * it leads, and (meaningful from the leader) size and load.
 */
public record RangeReport(long rangeId, Key start, Key end, List<Replica> replicas, long version,
                          long confVersion, boolean leader, RangeStats stats) {

    public RangeReport {
        if (rangeId <= 0 || start == null || end == null) {
            throw new IllegalArgumentException("a range report needs a positive id and both keys");
        }
        replicas = List.copyOf(replicas);
        stats = stats == null ? RangeStats.EMPTY : stats;
    }

    /** Whether this report carries a newer descriptor (epoch) than {@code other}. */
    boolean newerThan(RangeReport other) {
        if (version != other.version) {
            return version > other.version;
        }
        return confVersion > other.confVersion;
    }

    boolean sameEpochAs(RangeReport other) {
        return version == other.version && confVersion == other.confVersion;
    }
}
