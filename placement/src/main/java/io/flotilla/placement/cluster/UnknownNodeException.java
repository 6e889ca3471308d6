package io.flotilla.placement.cluster;

/** A heartbeat or a state change named a node the registry does not hold. */
public final class UnknownNodeException extends IllegalArgumentException {

    private final long nodeId;

    public UnknownNodeException(long nodeId) {
        super("node " + nodeId + " is not registered");
        this.nodeId = nodeId;
    }

    public long nodeId() {
        return nodeId;
    }
}
