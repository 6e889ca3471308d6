package io.flotilla.placement.balance;

import io.flotilla.placement.allocation.ReplicaAllocator;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.RangeHealth;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.operation.MoveReplica;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.LoadLedger;
import io.flotilla.placement.policy.PlacementPolicy;
import io.flotilla.placement.policy.PlanningContext;
import io.flotilla.placement.policy.PolicyResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Evens out replica counts over UP nodes: while some node is outside the tolerance around the
 * mean, moves one replica from the fullest node that can give one to the node the allocator
 * picks, as a {@link MoveReplica} (add learner, catch up, promote, remove). A move is made only
 * when it narrows the gap by at least two, so moves never ping-pong. Only healthy ranges move:
 * a range short of voters, with a learner, or on a node that is not UP is repair's business.
 * A replica on a node that satisfies the range's leader preference stays, so that balance
 * never makes a preference impossible to honour.
 */
public final class ReplicaBalancer implements PlacementPolicy {

    private final ReplicaAllocator allocator;
    private final BalanceTolerance tolerance;
    private final int replicationFactor;

    public ReplicaBalancer(ReplicaAllocator allocator, BalanceTolerance tolerance, int replicationFactor) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        this.allocator = allocator;
        this.tolerance = tolerance;
        this.replicationFactor = replicationFactor;
    }

    @Override
    public String name() {
        return "replica-balance";
    }

    /** Whether every UP node's replica count is within the tolerance, as the ledger counts. */
    public boolean isBalanced(ClusterView view, LoadLedger ledger) {
        List<NodeInfo> nodes = view.nodesIn(NodeState.UP);
        double mean = mean(nodes, ledger);
        return nodes.stream().allMatch(n -> tolerance.within(ledger.replicas(n.nodeId()), mean));
    }

    @Override
    public PolicyResult propose(ClusterView view, PlanningContext context) {
        PolicyResult.Builder result = new PolicyResult.Builder(name());
        List<NodeInfo> nodes = view.nodesIn(NodeState.UP);
        if (nodes.size() < 2) {
            return result.build();
        }
        LoadLedger ledger = context.ledger();
        Map<Long, List<RangeInfo>> order = new HashMap<>();
        int bound = view.ranges().size() + 1;
        for (int i = 0; i < bound && context.hasSlots(); i++) {
            if (!moveOne(view, context, nodes, ledger, order, result)) {
                break;
            }
        }
        return result.build();
    }

    private boolean moveOne(ClusterView view, PlanningContext context, List<NodeInfo> nodes, LoadLedger ledger,
                            Map<Long, List<RangeInfo>> order, PolicyResult.Builder result) {
        double mean = mean(nodes, ledger);
        boolean anyBelow = nodes.stream().anyMatch(n -> tolerance.below(ledger.replicas(n.nodeId()), mean));
        List<NodeInfo> sources = new ArrayList<>(nodes);
        sources.sort(Comparator.comparingInt((NodeInfo n) -> -ledger.replicas(n.nodeId())).thenComparingLong(NodeInfo::nodeId));
        // The largest count a receiving node may have while it is below the band.
        int belowBand = (int) Math.ceil(mean - tolerance.allowed(mean) - 1e-9) - 1;
        for (NodeInfo source : sources) {
            int count = ledger.replicas(source.nodeId());
            boolean above = tolerance.above(count, mean);
            if (count <= mean || !(above || anyBelow)) {
                continue;
            }
            // An overfull node may give to anyone two below it; a merely full one only to a node below the band.
            int maxTarget = above ? count - 2 : Math.min(count - 2, belowBand);
            if (maxTarget < 0 || !context.hasSlotOn(source.nodeId())
                    || !allocator.anyTarget(view, ledger, maxTarget, context::hasSlotOn)) {
                continue;
            }
            for (RangeInfo range : order.computeIfAbsent(source.nodeId(), n -> movableOrder(view, n))) {
                if (context.isBusy(range.rangeId()) || !isHealthy(range, view)
                        || range.preference().map(p -> p.satisfiedBy(source)).orElse(false)) {
                    continue;
                }
                Optional<Long> target = allocator.chooseMoveTarget(view, range, source.nodeId(), ledger, maxTarget,
                        context::hasSlotOn);
                if (target.isEmpty()) {
                    continue;
                }
                OperatorPlan plan = MoveReplica.plan(OperatorKind.REPLICA_BALANCE, range.rangeId(), source.nodeId(),
                        target.get(), leaderTarget(view, range, source.nodeId(), target.get(), ledger),
                        "n" + source.nodeId() + " holds " + count + " replicas, n" + target.get() + " "
                                + ledger.replicas(target.get()) + ", mean " + Math.round(mean * 10) / 10.0);
                if (context.tryReserve(plan)) {
                    result.plan(plan);
                    return true;
                }
            }
        }
        return false;
    }

    // Ranges the source does not lead first: moving them needs no leader transfer.
    private static List<RangeInfo> movableOrder(ClusterView view, long source) {
        List<RangeInfo> ranges = new ArrayList<>(view.rangesOn(source));
        ranges.sort(Comparator.comparing((RangeInfo r) -> r.leaderNodeId() == source).thenComparingLong(RangeInfo::rangeId));
        return ranges;
    }

    private boolean isHealthy(RangeInfo range, ClusterView view) {
        if (range.leader().isEmpty() || range.hasLearners() || range.voters().size() != replicationFactor) {
            return false;
        }
        for (Replica r : range.replicas()) {
            if (view.stateOf(r.nodeId()) != NodeState.UP) {
                return false;
            }
        }
        return RangeHealth.hasQuorum(range, view);
    }

    /** When the source leads, the voter (old or new) with the fewest leaderships takes over. */
    static OptionalLong leaderTarget(ClusterView view, RangeInfo range, long source, long newVoter, LoadLedger ledger) {
        if (range.leaderNodeId() != source) {
            return OptionalLong.empty();
        }
        long best = newVoter;
        for (Replica r : range.voters()) {
            long node = r.nodeId();
            if (node == source || view.stateOf(node) != NodeState.UP) {
                continue;
            }
            if (ledger.leaders(node) < ledger.leaders(best) || (ledger.leaders(node) == ledger.leaders(best) && node < best)) {
                best = node;
            }
        }
        return OptionalLong.of(best);
    }

    private static double mean(List<NodeInfo> nodes, LoadLedger ledger) {
        if (nodes.isEmpty()) {
            return 0;
        }
        long total = 0;
        for (NodeInfo n : nodes) {
            total += ledger.replicas(n.nodeId());
        }
        return (double) total / nodes.size();
    }
}
