package io.flotilla.placement;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.LeaderPreference;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.cluster.RangeStats;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.operator.SlotBudget;
import io.flotilla.placement.policy.LoadLedger;
import io.flotilla.placement.policy.PlanningContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds small cluster views for policy tests: nodes UP and heartbeating unless said otherwise. */
public final class ViewFixture {

    public static final long TIB = 1L << 40;

    private final long now;
    private final Map<Long, NodeInfo> nodes = new LinkedHashMap<>();
    private final Map<Long, RangeInfo> ranges = new LinkedHashMap<>();

    private ViewFixture(long now) {
        this.now = now;
    }

    public static ViewFixture at(long nowMillis) {
        return new ViewFixture(nowMillis);
    }

    /** An 8-byte big-endian key. */
    public static Key key(long k) {
        return Key.of(ByteBuffer.allocate(8).putLong(k).array());
    }

    public ViewFixture nodes(long... ids) {
        for (long id : ids) {
            node(id, "", NodeState.UP);
        }
        return this;
    }

    public ViewFixture node(long id, String zone) {
        return node(id, zone, NodeState.UP);
    }

    public ViewFixture node(long id, NodeState state) {
        return node(id, "", state);
    }

    public ViewFixture node(long id, String zone, NodeState state) {
        Map<String, String> labels = zone.isEmpty() ? Map.of() : Map.of(NodeInfo.ZONE, zone);
        nodes.put(id, new NodeInfo(id, "127.0.0.1:" + (7000 + id), labels, state, TIB, 0, now));
        return this;
    }

    public ViewFixture node(NodeInfo node) {
        nodes.put(node.nodeId(), node);
        return this;
    }

    /** Node {@code id} is DEAD, its last heartbeat sent at {@code lastHeartbeat}. */
    public ViewFixture deadNode(long id, long lastHeartbeat) {
        nodes.put(id, new NodeInfo(id, "127.0.0.1:" + (7000 + id), Map.of(), NodeState.DEAD, TIB, 0, lastHeartbeat));
        return this;
    }

    public ViewFixture usedBytes(long id, long used) {
        NodeInfo n = nodes.get(id);
        nodes.put(id, new NodeInfo(n.nodeId(), n.address(), n.labels(), n.state(), n.capacityBytes(), used,
                n.lastHeartbeatMillis()));
        return this;
    }

    /** Range {@code id} spanning [key(id*1000), key(id*1000+1000)), led from {@code leader} (0: none). */
    public ViewFixture range(long id, long leader, long... voterNodes) {
        List<Replica> replicas = new ArrayList<>();
        for (int i = 0; i < voterNodes.length; i++) {
            replicas.add(Replica.voter(voterNodes[i], id * 10 + i + 1));
        }
        ranges.put(id, new RangeInfo(id, key(id * 1000), key(id * 1000 + 1000), replicas, leader, 1, 1,
                RangeStats.EMPTY, Optional.empty()));
        return this;
    }

    public ViewFixture learner(long rangeId, long node) {
        RangeInfo r = ranges.get(rangeId);
        List<Replica> replicas = new ArrayList<>(r.replicas());
        replicas.add(Replica.learner(node, rangeId * 10 + 9));
        ranges.put(rangeId, r.withReplicas(replicas));
        return this;
    }

    public ViewFixture stats(long rangeId, RangeStats stats) {
        ranges.put(rangeId, ranges.get(rangeId).withStats(stats));
        return this;
    }

    public ViewFixture prefer(long rangeId, LeaderPreference preference) {
        ranges.put(rangeId, ranges.get(rangeId).withPreference(Optional.of(preference)));
        return this;
    }

    public ClusterView view() {
        return ClusterView.of(now, nodes.values(), ranges.values());
    }

    /** A planning context with nothing running and no limits. */
    public static PlanningContext unlimited(ClusterView view) {
        return new PlanningContext(Set.of(), LoadLedger.of(view, List.of()), SlotBudget.unlimited());
    }

    /** A planning context with nothing running and {@code slots} cluster-wide, {@code perNode} per node. */
    public static PlanningContext limited(ClusterView view, int slots, int perNode) {
        return new PlanningContext(Set.of(), LoadLedger.of(view, List.of()), SlotBudget.of(slots, perNode, Map.of()));
    }
}
