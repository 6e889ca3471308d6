package io.flotilla.placement.cluster;

import java.util.Map;
import java.util.TreeMap;

/**
 * One node as placement sees it at a point in time.
 *
 * @param labels free-form attributes such as {@code zone}; replicas are spread over zones
 * @param lastHeartbeatMillis when its newest heartbeat was sent, or {@link #NEVER}
 */
public record NodeInfo(long nodeId, String address, Map<String, String> labels, NodeState state,
                       long capacityBytes, long usedBytes, long lastHeartbeatMillis) {

    /** The label that names a node's failure domain. */
    public static final String ZONE = "zone";
    /** {@link #lastHeartbeatMillis} of a node never heard from. */
    public static final long NEVER = Long.MIN_VALUE;

    public NodeInfo {
        if (nodeId <= 0) {
            throw new IllegalArgumentException("node id must be positive, got " + nodeId);
        }
        if (address == null || state == null) {
            throw new IllegalArgumentException("node " + nodeId + " needs an address and a state");
        }
        if (capacityBytes < 0 || usedBytes < 0) {
            throw new IllegalArgumentException("node " + nodeId + " has negative capacity or usage");
        }
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    }

    /** The node's zone, or the empty string when it has no zone label (all such nodes share one). */
    public String zone() {
        return labels.getOrDefault(ZONE, "");
    }

    /** Used bytes over capacity, 0 when capacity is unknown. */
    public double fullness() {
        return capacityBytes == 0 ? 0.0 : (double) usedBytes / capacityBytes;
    }
}
