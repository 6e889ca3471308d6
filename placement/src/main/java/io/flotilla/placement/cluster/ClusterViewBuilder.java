package io.flotilla.placement.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Folds the node registry and the newest heartbeat of every node into a {@link ClusterView}.
 *
 * <p>Replicas disagree while a change propagates, so for each range the report with the newest
 * epoch (version, then conf version) supplies the descriptor, and the leader is a live node
 * claiming leadership at that epoch. A dead node's last heartbeat is kept: it still says what
 * that node held, which repair needs. Not thread-safe: the placement driver's thread owns it.</p>
 */
public final class ClusterViewBuilder {

    private final LivenessConfig liveness;
    private final Map<Long, RegisteredNode> registry = new TreeMap<>();
    private final Map<Long, StoreHeartbeat> latest = new HashMap<>();
    private final Map<Long, LeaderPreference> rangePreferences = new HashMap<>();
    private Optional<LeaderPreference> defaultPreference = Optional.empty();

    public ClusterViewBuilder(LivenessConfig liveness) {
        this.liveness = liveness;
    }

    /** Adds or replaces a node's registry entry. */
    public void register(RegisteredNode node) {
        registry.put(node.nodeId(), node);
    }

    /** @throws UnknownNodeException if the node is not registered; nothing changes then */
    public void setAdminState(long nodeId, AdminState state) {
        RegisteredNode node = registry.get(nodeId);
        if (node == null) {
            throw new UnknownNodeException(nodeId);
        }
        registry.put(nodeId, node.withAdminState(state));
    }

    /**
     * Keeps {@code heartbeat} if it is the node's newest.
     *
     * @return false if an equally new or newer heartbeat from the node is already held
     * @throws UnknownNodeException if the sender is not registered; nothing changes then
     */
    public boolean receive(StoreHeartbeat heartbeat) {
        if (!registry.containsKey(heartbeat.nodeId())) {
            throw new UnknownNodeException(heartbeat.nodeId());
        }
        StoreHeartbeat held = latest.get(heartbeat.nodeId());
        if (held != null && held.sentAtMillis() >= heartbeat.sentAtMillis()) {
            return false;
        }
        latest.put(heartbeat.nodeId(), heartbeat);
        return true;
    }

    /** Prefers {@code preference} for the leader of {@code rangeId}; empty clears it. */
    public void setRangePreference(long rangeId, Optional<LeaderPreference> preference) {
        if (preference.isPresent()) {
            rangePreferences.put(rangeId, preference.get());
        } else {
            rangePreferences.remove(rangeId);
        }
    }

    /** The preference for every range without one of its own, such as a label naming a zone. */
    public void setDefaultPreference(Optional<LeaderPreference> preference) {
        defaultPreference = preference;
    }

    /** The view at {@code nowMillis}. */
    public ClusterView build(long nowMillis) {
        List<NodeInfo> nodes = new ArrayList<>();
        Map<Long, NodeState> states = new HashMap<>();
        for (RegisteredNode reg : registry.values()) {
            StoreHeartbeat hb = latest.get(reg.nodeId());
            long last = hb == null ? NodeInfo.NEVER : hb.sentAtMillis();
            NodeState state = stateOf(reg.adminState(), liveness.stateFor(last, nowMillis));
            states.put(reg.nodeId(), state);
            nodes.add(new NodeInfo(reg.nodeId(), reg.address(), reg.labels(), state,
                    hb == null ? 0 : hb.capacityBytes(), hb == null ? 0 : hb.usedBytes(), last));
        }
        Map<Long, RangeReport> newest = new TreeMap<>();
        for (StoreHeartbeat hb : latest.values()) {
            for (RangeReport report : hb.ranges()) {
                RangeReport held = newest.get(report.rangeId());
                if (held == null || report.newerThan(held)) {
                    newest.put(report.rangeId(), report);
                }
            }
        }
        Map<Long, Claim> leaders = leaders(newest, states);
        List<RangeInfo> ranges = new ArrayList<>();
        for (RangeReport d : newest.values()) {
            Claim leader = leaders.get(d.rangeId());
            Optional<LeaderPreference> preference = Optional.ofNullable(rangePreferences.get(d.rangeId()))
                    .or(() -> defaultPreference);
            ranges.add(new RangeInfo(d.rangeId(), d.start(), d.end(), d.replicas(),
                    leader == null ? RangeInfo.NO_LEADER : leader.nodeId(), d.version(), d.confVersion(),
                    leader == null ? d.stats() : leader.report().stats(), preference));
        }
        return ClusterView.of(nowMillis, nodes, ranges);
    }

    // An operator's decision outranks liveness, except that a dead node is reported dead so
    // that repair can replace what a dying, decommissioning node still held.
    private static NodeState stateOf(AdminState admin, NodeState liveness) {
        if (admin == AdminState.REMOVED) {
            return NodeState.REMOVED;
        }
        if (liveness == NodeState.DEAD) {
            return NodeState.DEAD;
        }
        return admin == AdminState.DECOMMISSIONING ? NodeState.DECOMMISSIONING : liveness;
    }

    /**
     * For each range, its leader: a live node claiming it at the newest epoch. The leader's
     * report also carries the range's load, since only the leader serves it.
     */
    private Map<Long, Claim> leaders(Map<Long, RangeReport> newest, Map<Long, NodeState> states) {
        Map<Long, Claim> leaders = new HashMap<>();
        for (StoreHeartbeat hb : latest.values()) {
            if (!states.getOrDefault(hb.nodeId(), NodeState.REMOVED).isLive()) {
                continue;
            }
            for (RangeReport report : hb.ranges()) {
                RangeReport descriptor = newest.get(report.rangeId());
                if (!report.leader() || !report.sameEpochAs(descriptor) || !hasReplicaOn(descriptor, hb.nodeId())) {
                    continue;
                }
                // Two live claims at one epoch: a deposed leader has not reported yet; trust the newer word.
                Claim held = leaders.get(report.rangeId());
                if (held == null || hb.sentAtMillis() > held.sentAtMillis()
                        || (hb.sentAtMillis() == held.sentAtMillis() && hb.nodeId() < held.nodeId())) {
                    leaders.put(report.rangeId(), new Claim(hb.nodeId(), hb.sentAtMillis(), report));
                }
            }
        }
        return leaders;
    }

    private record Claim(long nodeId, long sentAtMillis, RangeReport report) {
    }

    private static boolean hasReplicaOn(RangeReport descriptor, long nodeId) {
        for (Replica r : descriptor.replicas()) {
            if (r.nodeId() == nodeId) {
                return true;
            }
        }
        return false;
    }
}
