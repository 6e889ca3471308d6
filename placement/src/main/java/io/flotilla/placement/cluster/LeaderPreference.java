package io.flotilla.placement.cluster;

/**
 * Where an operator wants a range's leader: on one node, or on any node carrying a label
 * (for example the zone nearest the clients). The leader balancer honours it before counts.
 */
public sealed interface LeaderPreference permits LeaderPreference.OnNode, LeaderPreference.OnLabel {

    boolean satisfiedBy(NodeInfo node);

    static LeaderPreference onNode(long nodeId) {
        return new OnNode(nodeId);
    }

    static LeaderPreference onLabel(String key, String value) {
        return new OnLabel(key, value);
    }

    /** Lead from this node. */
    record OnNode(long nodeId) implements LeaderPreference {
        public OnNode {
            if (nodeId <= 0) {
                throw new IllegalArgumentException("preferred node id must be positive, got " + nodeId);
            }
        }

        @Override
        public boolean satisfiedBy(NodeInfo node) {
            return node.nodeId() == nodeId;
        }
    }

    /** Lead from any node whose label {@code key} equals {@code value}. */
    record OnLabel(String key, String value) implements LeaderPreference {
        public OnLabel {
            if (key == null || key.isEmpty() || value == null) {
                throw new IllegalArgumentException("a label preference needs a key and a value");
            }
        }

        @Override
        public boolean satisfiedBy(NodeInfo node) {
            return value.equals(node.labels().get(key));
        }
    }
}
