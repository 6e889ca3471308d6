package io.flotilla.placement.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable snapshot of the cluster at {@link #nowMillis()}: what every placement policy
 * reads. Nodes and ranges iterate in id order so that policies, given the same view, decide the
 * same thing every time.
 */
public final class ClusterView {

    private final long nowMillis;
    private final Map<Long, NodeInfo> nodes;
    private final Map<Long, RangeInfo> ranges;
    private final Map<Long, List<RangeInfo>> rangesByNode;
    private final Map<Long, Integer> leaderCounts;

    private ClusterView(long nowMillis, Map<Long, NodeInfo> nodes, Map<Long, RangeInfo> ranges) {
        this.nowMillis = nowMillis;
        this.nodes = Collections.unmodifiableMap(nodes);
        this.ranges = Collections.unmodifiableMap(ranges);
        Map<Long, List<RangeInfo>> byNode = new HashMap<>();
        Map<Long, Integer> leaders = new HashMap<>();
        for (RangeInfo range : ranges.values()) {
            for (Replica replica : range.replicas()) {
                byNode.computeIfAbsent(replica.nodeId(), n -> new ArrayList<>()).add(range);
            }
            range.leader().ifPresent(n -> leaders.merge(n, 1, Integer::sum));
        }
        byNode.replaceAll((n, list) -> List.copyOf(list));
        this.rangesByNode = byNode;
        this.leaderCounts = leaders;
    }

    /**
     * A view of {@code nodes} and {@code ranges} at {@code nowMillis}.
     *
     * @throws ClusterViewException on duplicate ids, or a replica or leader on a node not listed
     */
    public static ClusterView of(long nowMillis, Collection<NodeInfo> nodes, Collection<RangeInfo> ranges) {
        Map<Long, NodeInfo> nodeMap = new TreeMap<>();
        for (NodeInfo node : nodes) {
            if (nodeMap.put(node.nodeId(), node) != null) {
                throw new ClusterViewException("node " + node.nodeId() + " is listed twice");
            }
        }
        Map<Long, RangeInfo> rangeMap = new TreeMap<>();
        for (RangeInfo range : ranges) {
            if (rangeMap.put(range.rangeId(), range) != null) {
                throw new ClusterViewException("range " + range.rangeId() + " is listed twice");
            }
            for (Replica replica : range.replicas()) {
                if (!nodeMap.containsKey(replica.nodeId())) {
                    throw new ClusterViewException("range " + range.rangeId() + " has a replica on unknown node "
                            + replica.nodeId());
                }
            }
            if (range.leader().isPresent() && !range.hasReplicaOn(range.leaderNodeId())) {
                throw new ClusterViewException("range " + range.rangeId() + " is led from node " + range.leaderNodeId()
                        + ", which holds no replica of it");
            }
        }
        return new ClusterView(nowMillis, nodeMap, rangeMap);
    }

    public long nowMillis() {
        return nowMillis;
    }

    /** Every node, in id order. */
    public Collection<NodeInfo> nodes() {
        return nodes.values();
    }

    /** Every range, in id order. */
    public Collection<RangeInfo> ranges() {
        return ranges.values();
    }

    public Optional<NodeInfo> node(long nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    public Optional<RangeInfo> range(long rangeId) {
        return Optional.ofNullable(ranges.get(rangeId));
    }

    /** The state of {@code nodeId}, REMOVED for a node the view does not know. */
    public NodeState stateOf(long nodeId) {
        NodeInfo node = nodes.get(nodeId);
        return node == null ? NodeState.REMOVED : node.state();
    }

    /** The ranges with a replica (voter or learner) on {@code nodeId}, in range id order. */
    public List<RangeInfo> rangesOn(long nodeId) {
        return rangesByNode.getOrDefault(nodeId, List.of());
    }

    /** How many replicas (voters and learners) {@code nodeId} holds. */
    public int replicaCount(long nodeId) {
        return rangesOn(nodeId).size();
    }

    /** How many ranges {@code nodeId} leads. */
    public int leaderCount(long nodeId) {
        return leaderCounts.getOrDefault(nodeId, 0);
    }

    /** The nodes in {@code state}, in id order. */
    public List<NodeInfo> nodesIn(NodeState state) {
        return nodes.values().stream().filter(n -> n.state() == state).toList();
    }
}
