package io.flotilla.client.admin;

/** One change of a rebalance plan: a range's leadership or replica moving from one node to another. */
public record PlannedMove(long rangeId, long fromNodeId, long toNodeId, String description) {
    static PlannedMove from(io.flotilla.transport.proto.PlannedMove m) {
        return new PlannedMove(m.getRangeId(), m.getFromNodeId(), m.getToNodeId(), m.getDescription());
    }
}
