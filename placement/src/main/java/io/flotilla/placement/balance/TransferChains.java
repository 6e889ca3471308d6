package io.flotilla.placement.balance;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.policy.LoadLedger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Finds chains of leader transfers for when no single transfer helps: node a is above the band
 * but every co-voter of the ranges it leads is only one below it. If a leads r1 with b and b
 * leads r2 with c, handing r1 to b and r2 to c leaves b's count as it was and moves a's surplus
 * to c. The shortest chain is found breadth-first over "leader of a range -> a voter of it".
 */
final class TransferChains {

    /** One transfer of a chain. */
    record Hop(RangeInfo range, long from, long to) {
    }

    private final ClusterView view;
    private final LoadLedger ledger;
    /** For every movable range, its leader -> the range (forward edges start here). */
    private final Map<Long, List<RangeInfo>> ledBy = new HashMap<>();
    /** For every movable range, each UP follower voter -> the range (backward edges start here). */
    private final Map<Long, List<RangeInfo>> votedBy = new HashMap<>();

    TransferChains(ClusterView view, LoadLedger ledger, Predicate<RangeInfo> movable) {
        this.view = view;
        this.ledger = ledger;
        for (RangeInfo range : view.ranges()) {
            if (!movable.test(range)) {
                continue;
            }
            ledBy.computeIfAbsent(range.leaderNodeId(), n -> new ArrayList<>()).add(range);
            for (Replica r : range.replicas()) {
                if (r.isVoter() && r.nodeId() != range.leaderNodeId() && view.stateOf(r.nodeId()) == NodeState.UP) {
                    votedBy.computeIfAbsent(r.nodeId(), n -> new ArrayList<>()).add(range);
                }
            }
        }
    }

    /**
     * A chain from the fullest node above the band to a node at least two below it, or else to
     * the emptiest node below the band from one at least two above it; null if neither exists.
     */
    List<Hop> find(List<NodeInfo> nodes, BalanceTolerance tolerance, double mean) {
        List<NodeInfo> byCount = new ArrayList<>(nodes);
        byCount.sort(Comparator.comparingInt((NodeInfo n) -> -ledger.leaders(n.nodeId())).thenComparingLong(NodeInfo::nodeId));
        for (NodeInfo a : byCount) {
            int count = ledger.leaders(a.nodeId());
            if (tolerance.above(count, mean)) {
                List<Hop> chain = search(a.nodeId(), true, n -> ledger.leaders(n) <= count - 2);
                if (chain != null) {
                    return chain;
                }
            }
        }
        for (int i = byCount.size() - 1; i >= 0; i--) {
            long z = byCount.get(i).nodeId();
            int count = ledger.leaders(z);
            if (tolerance.below(count, mean)) {
                List<Hop> chain = search(z, false, n -> ledger.leaders(n) >= count + 2);
                if (chain != null) {
                    return chain;
                }
            }
        }
        return null;
    }

    /**
     * Breadth-first from {@code origin}, forward along "leader -> voter" edges or backward
     * along them, to the nearest node {@code goal} accepts (among the nearest, the one whose
     * count is furthest from the origin's). Returns the hops in transfer order, or null.
     */
    private List<Hop> search(long origin, boolean forward, LongPredicate goal) {
        Map<Long, List<RangeInfo>> edges = forward ? ledBy : votedBy;
        Map<Long, Hop> reachedBy = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        seen.add(origin);
        List<Long> frontier = List.of(origin);
        while (!frontier.isEmpty()) {
            List<Long> next = new ArrayList<>();
            for (long node : frontier) {
                for (RangeInfo range : edges.getOrDefault(node, List.of())) {
                    for (long other : forward ? upVoters(range) : List.of(range.leaderNodeId())) {
                        if (other != node && seen.add(other)) {
                            reachedBy.put(other, forward ? new Hop(range, node, other) : new Hop(range, other, node));
                            next.add(other);
                        }
                    }
                }
            }
            Long best = null;
            for (long n : next) {
                if (goal.test(n) && (best == null
                        || (forward ? ledger.leaders(n) < ledger.leaders(best) : ledger.leaders(n) > ledger.leaders(best)))) {
                    best = n;
                }
            }
            if (best != null) {
                return unwind(origin, best, reachedBy, forward);
            }
            frontier = next;
        }
        return null;
    }

    private static List<Hop> unwind(long origin, long end, Map<Long, Hop> reachedBy, boolean forward) {
        List<Hop> chain = new ArrayList<>();
        long at = end;
        while (at != origin) {
            Hop hop = reachedBy.get(at);
            chain.add(hop);
            at = forward ? hop.from() : hop.to();
        }
        if (forward) {
            Collections.reverse(chain);
        }
        return chain;
    }

    private List<Long> upVoters(RangeInfo range) {
        List<Long> voters = new ArrayList<>();
        for (Replica r : range.replicas()) {
            if (r.isVoter() && view.stateOf(r.nodeId()) == NodeState.UP) {
                voters.add(r.nodeId());
            }
        }
        return voters;
    }
}
