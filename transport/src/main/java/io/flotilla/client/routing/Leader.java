package io.flotilla.client.routing;

/** Who leads a range, as last learned: the node id and the address to reach it. */
public record Leader(long nodeId, String address) {
    public Leader {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("a leader needs an address (node " + nodeId + ")");
        }
    }
}
