package io.flotilla.client.admin;

/** A node's liveness as the cluster sees it. */
public enum NodeState {
    UNKNOWN, UP, SUSPECT, DEAD, DRAINING,
    /** Placement is moving its replicas away. */
    DECOMMISSIONING,
    /** Drained and out of the cluster. */
    REMOVED;

    static NodeState from(io.flotilla.transport.proto.NodeState state) {
        switch (state) {
            case NODE_UP:
                return UP;
            case NODE_SUSPECT:
                return SUSPECT;
            case NODE_DEAD:
                return DEAD;
            case NODE_DRAINING:
                return DRAINING;
            case NODE_DECOMMISSIONING:
                return DECOMMISSIONING;
            case NODE_REMOVED:
                return REMOVED;
            default:
                return UNKNOWN;
        }
    }
}
