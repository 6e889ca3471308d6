package io.flotilla.placement.decommission;

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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Drains DECOMMISSIONING nodes: every voter there moves to the node the allocator picks (new
 * voter first, leadership handed away if the node leads, removal last, so the range never runs
 * short of voters) and every learner there is dropped. Once the view shows a draining node
 * holding nothing and no operator touches it, {@link #drainedNodes} names it, to be marked
 * REMOVED.
 */
public final class DecommissionPolicy implements PlacementPolicy {

    private final ReplicaAllocator allocator;

    public DecommissionPolicy(ReplicaAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public String name() {
        return "decommission";
    }

    @Override
    public PolicyResult propose(ClusterView view, PlanningContext context) {
        PolicyResult.Builder result = new PolicyResult.Builder(name());
        for (NodeInfo node : view.nodesIn(NodeState.DECOMMISSIONING)) {
            for (RangeInfo range : view.rangesOn(node.nodeId())) {
                if (!context.hasSlots()) {
                    return result.build();
                }
                if (context.isBusy(range.rangeId())) {
                    continue;
                }
                Optional<OperatorPlan> plan = planFor(view, range, node.nodeId(), context.ledger(), result);
                if (plan.isPresent() && context.tryReserve(plan.get())) {
                    result.plan(plan.get());
                }
            }
        }
        return result.build();
    }

    /**
     * DECOMMISSIONING nodes that hold no replica in the view and that no operator touches:
     * drained, and safe to mark REMOVED.
     */
    public List<Long> drainedNodes(ClusterView view, Set<Long> nodesWithOperators) {
        List<Long> drained = new ArrayList<>();
        for (NodeInfo node : view.nodesIn(NodeState.DECOMMISSIONING)) {
            if (view.rangesOn(node.nodeId()).isEmpty() && !nodesWithOperators.contains(node.nodeId())) {
                drained.add(node.nodeId());
            }
        }
        return drained;
    }

    private Optional<OperatorPlan> planFor(ClusterView view, RangeInfo range, long node, LoadLedger ledger,
                                           PolicyResult.Builder result) {
        Replica replica = range.replicaOn(node).orElseThrow();
        String why = "drain decommissioning n" + node;
        if (!RangeHealth.hasQuorum(range, view)) {
            result.skip(range.rangeId(), why + ", but the range has no live majority");
            return Optional.empty();
        }
        if (range.leader().isEmpty()) {
            result.skip(range.rangeId(), why + ", but no leader is known yet");
            return Optional.empty();
        }
        if (replica.learner()) {
            return Optional.of(OperatorPlan.remove(OperatorKind.DECOMMISSION, range.rangeId(), node, why));
        }
        Optional<Long> target = allocator.chooseTarget(view, range, OptionalLong.of(node), ledger);
        if (target.isEmpty()) {
            result.skip(range.rangeId(), why + ", but no UP node can take the replica");
            return Optional.empty();
        }
        OptionalLong leaderTarget = OptionalLong.empty();
        if (range.leaderNodeId() == node) {
            long best = target.get();
            for (Replica r : range.voters()) {
                if (r.nodeId() != node && view.stateOf(r.nodeId()) == NodeState.UP
                        && ledger.leaders(r.nodeId()) < ledger.leaders(best)) {
                    best = r.nodeId();
                }
            }
            leaderTarget = OptionalLong.of(best);
        }
        return Optional.of(MoveReplica.plan(OperatorKind.DECOMMISSION, range.rangeId(), node, target.get(), leaderTarget, why));
    }
}
