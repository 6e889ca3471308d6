package io.flotilla.placement.cluster;

import java.util.Map;
import java.util.TreeMap;

/** A node's entry in the registry: identity, labels and the operator's decision about it. */
public record RegisteredNode(long nodeId, String address, Map<String, String> labels, AdminState adminState) {

    public RegisteredNode {
        if (nodeId <= 0) {
            throw new IllegalArgumentException("node id must be positive, got " + nodeId);
        }
        if (address == null || adminState == null) {
            throw new IllegalArgumentException("node " + nodeId + " needs an address and an admin state");
        }
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    }

    public RegisteredNode withAdminState(AdminState state) {
        return new RegisteredNode(nodeId, address, labels, state);
    }
}
