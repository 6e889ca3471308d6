package io.flotilla.client.admin;

import io.flotilla.transport.proto.NodeStatus;

/** A cluster member as the node asked sees it; {@code lastHeardMs} is how long ago it heard from it. */
public record NodeInfo(long nodeId, String address, NodeState state, int rangeCount, int leaderCount,
        long lastHeardMs) {
    public static NodeInfo from(NodeStatus node) {
        return new NodeInfo(node.getNodeId(), node.getAddress(), NodeState.from(node.getState()), node.getRangeCount(),
                node.getLeaderCount(), node.getLastHeardMs());
    }
}
