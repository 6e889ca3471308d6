package io.flotilla.placement.allocation;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.policy.LoadLedger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * Chooses nodes for new replicas. The rules, in order:
 * <ol>
 *   <li>only UP nodes below the fullness limit, and never a node that already holds a replica
 *       (voter or learner) of the range;</li>
 *   <li>the zone holding the fewest of the range's other replicas, so that losing a zone
 *       loses as few replicas as possible (nodes without a zone label share one zone);</li>
 *   <li>the node holding the fewest replicas, then the fewest bytes, counted in the ledger so
 *       that planned moves count; then the lowest id, so the choice is deterministic.</li>
 * </ol>
 */
public final class ReplicaAllocator {

    private final double maxFullness;

    /** @param maxFullness nodes whose used bytes exceed this share of capacity receive nothing */
    public ReplicaAllocator(double maxFullness) {
        if (!(maxFullness > 0 && maxFullness <= 1)) {
            throw new IllegalArgumentException("maxFullness must be in (0, 1], got " + maxFullness);
        }
        this.maxFullness = maxFullness;
    }

    public static ReplicaAllocator defaults() {
        return new ReplicaAllocator(0.95);
    }

    /**
     * The best node for one more replica of {@code range}.
     *
     * @param replacing the node whose replica the new one replaces: its zone no longer counts
     */
    public Optional<Long> chooseTarget(ClusterView view, RangeInfo range, OptionalLong replacing, LoadLedger ledger) {
        List<Long> remaining = remainingNodes(range, replacing);
        return best(view, holders(range), remaining, ledger, Integer.MAX_VALUE, Integer.MAX_VALUE, node -> true);
    }

    /**
     * The best node to move {@code range}'s replica on {@code from} to, for balance: one that
     * spreads the range over zones at least as well as {@code from} does and holds at most
     * {@code maxReplicas} replicas in the ledger.
     */
    public Optional<Long> chooseMoveTarget(ClusterView view, RangeInfo range, long from, LoadLedger ledger, int maxReplicas) {
        return chooseMoveTarget(view, range, from, ledger, maxReplicas, node -> true);
    }

    /** As above, among the nodes {@code usable} accepts (those with an operator slot free, say). */
    public Optional<Long> chooseMoveTarget(ClusterView view, RangeInfo range, long from, LoadLedger ledger, int maxReplicas,
                                           LongPredicate usable) {
        List<Long> remaining = remainingNodes(range, OptionalLong.of(from));
        int fromCrowding = view.node(from).map(n -> crowding(view, remaining, n)).orElse(0);
        return best(view, holders(range), remaining, ledger, maxReplicas, fromCrowding, usable);
    }

    /** {@code count} distinct nodes for the replicas of a new range, best first; fewer if too few qualify. */
    public List<Long> chooseNodes(ClusterView view, int count, LoadLedger ledger) {
        List<Long> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Optional<Long> next = best(view, chosen, chosen, ledger, Integer.MAX_VALUE, Integer.MAX_VALUE, n -> true);
            if (next.isEmpty()) {
                break;
            }
            chosen.add(next.get());
        }
        return chosen;
    }

    /** Whether a new replica may be placed on {@code node} at all. */
    public boolean accepts(NodeInfo node) {
        return node.state().acceptsWork() && (node.capacityBytes() == 0 || node.fullness() < maxFullness);
    }

    // One pass, no sort: this runs for many ranges on every tick.
    private Optional<Long> best(ClusterView view, List<Long> holders, List<Long> remaining, LoadLedger ledger,
                                int maxReplicas, int maxCrowding, LongPredicate usable) {
        NodeInfo best = null;
        int bestCrowding = 0;
        for (NodeInfo node : view.nodes()) {
            long id = node.nodeId();
            if (!accepts(node) || holders.contains(id) || ledger.replicas(id) > maxReplicas || !usable.test(id)) {
                continue;
            }
            int crowding = crowding(view, remaining, node);
            if (crowding > maxCrowding) {
                continue;
            }
            if (best == null || better(node, crowding, best, bestCrowding, ledger)) {
                best = node;
                bestCrowding = crowding;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.nodeId());
    }

    private static boolean better(NodeInfo a, int aCrowding, NodeInfo b, int bCrowding, LoadLedger ledger) {
        if (aCrowding != bCrowding) {
            return aCrowding < bCrowding;
        }
        int ar = ledger.replicas(a.nodeId());
        int br = ledger.replicas(b.nodeId());
        if (ar != br) {
            return ar < br;
        }
        long ab = ledger.bytes(a.nodeId());
        long bb = ledger.bytes(b.nodeId());
        if (ab != bb) {
            return ab < bb;
        }
        return a.nodeId() < b.nodeId();
    }

    /** Whether some node could take a replica holding at most {@code maxReplicas}, among {@code usable} ones. */
    public boolean anyTarget(ClusterView view, LoadLedger ledger, int maxReplicas, LongPredicate usable) {
        for (NodeInfo node : view.nodes()) {
            if (accepts(node) && ledger.replicas(node.nodeId()) <= maxReplicas && usable.test(node.nodeId())) {
                return true;
            }
        }
        return false;
    }

    private static List<Long> holders(RangeInfo range) {
        List<Long> holders = new ArrayList<>(range.replicas().size());
        for (Replica r : range.replicas()) {
            holders.add(r.nodeId());
        }
        return holders;
    }

    private static List<Long> remainingNodes(RangeInfo range, OptionalLong replacing) {
        List<Long> remaining = new ArrayList<>();
        for (Replica r : range.replicas()) {
            if (replacing.isEmpty() || r.nodeId() != replacing.getAsLong()) {
                remaining.add(r.nodeId());
            }
        }
        return remaining;
    }

    /** How many of {@code others} share {@code node}'s zone. */
    private static int crowding(ClusterView view, List<Long> others, NodeInfo node) {
        int same = 0;
        for (long other : others) {
            if (other != node.nodeId() && view.node(other).map(o -> o.zone().equals(node.zone())).orElse(false)) {
                same++;
            }
        }
        return same;
    }
}
