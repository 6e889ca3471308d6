package io.flotilla.placement.cluster;

import java.util.List;

/**
 * What a node sends every few seconds: its disk, and a report per replica it holds.
 *
 * @param sentAtMillis the sender's send time, as the receiver's clock understands it
 */
public record StoreHeartbeat(long nodeId, long sentAtMillis, long capacityBytes, long usedBytes,
                             List<RangeReport> ranges) {

    public StoreHeartbeat {
        if (nodeId <= 0) {
            throw new IllegalArgumentException("heartbeat node id must be positive, got " + nodeId);
        }
        if (capacityBytes < 0 || usedBytes < 0) {
            throw new IllegalArgumentException("heartbeat from node " + nodeId + " has negative bytes");
        }
        ranges = List.copyOf(ranges);
    }
}
