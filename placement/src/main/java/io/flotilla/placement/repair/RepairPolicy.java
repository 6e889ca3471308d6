package io.flotilla.placement.repair;

import io.flotilla.placement.allocation.ReplicaAllocator;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.RangeHealth;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.operation.MoveReplica;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.LoadLedger;
import io.flotilla.placement.policy.PlacementPolicy;
import io.flotilla.placement.policy.PlanningContext;
import io.flotilla.placement.policy.PolicyResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Brings every range back to its replication factor, ranges with the fewest live voters first:
 * <ul>
 *   <li>a replica on a node DEAD for longer than {@code replaceAfterMillis} (counted from its
 *       last heartbeat), or on a REMOVED node, is replaced: a new voter on a live node first
 *       (a left-over learner on an UP node if there is one), then the lost one removed, so the
 *       voter count never dips;</li>
 *   <li>a learner no operator owns (left by a failed or cancelled move) is promoted when the
 *       range is short of voters, else removed;</li>
 *   <li>a range short of voters gains one; a range with too many loses one.</li>
 * </ul>
 * A range without a live majority cannot change its membership; it is skipped with the reason,
 * since only manual recovery can help it. The wait before replacing lets a restarting node
 * come back without a needless copy of all its data.
 */
public final class RepairPolicy implements PlacementPolicy {

    private final ReplicaAllocator allocator;
    private final int replicationFactor;
    private final long replaceAfterMillis;

    public RepairPolicy(ReplicaAllocator allocator, int replicationFactor, long replaceAfterMillis) {
        if (replicationFactor < 1 || replaceAfterMillis < 0) {
            throw new IllegalArgumentException("need a replication factor >= 1 and a non-negative delay, got "
                    + replicationFactor + " and " + replaceAfterMillis);
        }
        this.allocator = allocator;
        this.replicationFactor = replicationFactor;
        this.replaceAfterMillis = replaceAfterMillis;
    }

    @Override
    public String name() {
        return "repair";
    }

    /** Whether the replica on {@code nodeId} counts as lost for good. */
    public boolean isLost(ClusterView view, long nodeId) {
        Optional<NodeInfo> node = view.node(nodeId);
        if (node.isEmpty() || node.get().state() == NodeState.REMOVED) {
            return true;
        }
        NodeInfo n = node.get();
        return n.state() == NodeState.DEAD
                && (n.lastHeartbeatMillis() == NodeInfo.NEVER
                    || view.nowMillis() - n.lastHeartbeatMillis() >= replaceAfterMillis);
    }

    @Override
    public PolicyResult propose(ClusterView view, PlanningContext context) {
        PolicyResult.Builder result = new PolicyResult.Builder(name());
        List<RangeInfo> needy = new ArrayList<>();
        for (RangeInfo range : view.ranges()) {
            if (!context.isBusy(range.rangeId()) && needsRepair(view, range)) {
                needy.add(range);
            }
        }
        needy.sort(Comparator.comparingInt((RangeInfo r) -> RangeHealth.liveVoters(r, view))
                .thenComparingLong(RangeInfo::rangeId));
        for (RangeInfo range : needy) {
            if (!context.hasSlots()) {
                break;
            }
            if (!RangeHealth.hasQuorum(range, view)) {
                result.skip(range.rangeId(), "quorum lost: " + RangeHealth.liveVoters(range, view) + " of "
                        + range.voters().size() + " voters live; needs manual recovery");
                continue;
            }
            if (range.leader().isEmpty()) {
                result.skip(range.rangeId(), "no leader known yet");
                continue;
            }
            Optional<OperatorPlan> plan = planFor(view, range, context.ledger(), result);
            if (plan.isPresent() && context.tryReserve(plan.get())) {
                result.plan(plan.get());
            }
        }
        return result.build();
    }

    private boolean needsRepair(ClusterView view, RangeInfo range) {
        if (range.hasLearners() || range.voters().size() != replicationFactor) {
            return true;
        }
        for (Replica r : range.replicas()) {
            if (isLost(view, r.nodeId())) {
                return true;
            }
        }
        return false;
    }

    private Optional<OperatorPlan> planFor(ClusterView view, RangeInfo range, LoadLedger ledger, PolicyResult.Builder result) {
        int voters = range.voters().size();
        long id = range.rangeId();
        for (Replica r : range.replicas()) {
            if (!isLost(view, r.nodeId())) {
                continue;
            }
            if (r.learner() || voters > replicationFactor) {
                return Optional.of(OperatorPlan.remove(OperatorKind.REPAIR, id, r.nodeId(),
                        "replica on lost node n" + r.nodeId()));
            }
            String why = "replace replica on lost node n" + r.nodeId() + " (" + RangeHealth.liveVoters(range, view)
                    + " of " + voters + " voters live)";
            // A learner left by an earlier operator is the cheapest replacement: it has the data.
            for (Replica learner : range.learners()) {
                if (view.stateOf(learner.nodeId()) == NodeState.UP) {
                    return Optional.of(new OperatorPlan(id, OperatorKind.REPAIR, List.of(
                            new Operation.PromoteLearner(id, learner.nodeId()), new Operation.RemoveReplica(id, r.nodeId())),
                            Set.of(), why));
                }
            }
            Optional<Long> target = allocator.chooseTarget(view, range, OptionalLong.of(r.nodeId()), ledger);
            if (target.isEmpty()) {
                result.skip(id, "replica on lost node n" + r.nodeId() + ", but no UP node can take its place");
                return Optional.empty();
            }
            return Optional.of(MoveReplica.plan(OperatorKind.REPAIR, id, r.nodeId(), target.get(), OptionalLong.empty(), why));
        }
        for (Replica r : range.learners()) {
            boolean promotable = voters < replicationFactor && view.stateOf(r.nodeId()) == NodeState.UP;
            return Optional.of(promotable
                    ? OperatorPlan.promote(OperatorKind.REPAIR, id, r.nodeId(), "left-over learner; range short of voters")
                    : OperatorPlan.remove(OperatorKind.REPAIR, id, r.nodeId(), "left-over learner"));
        }
        if (voters < replicationFactor) {
            Optional<Long> target = allocator.chooseTarget(view, range, OptionalLong.empty(), ledger);
            if (target.isEmpty()) {
                result.skip(id, voters + " of " + replicationFactor + " voters, but no UP node can take another");
                return Optional.empty();
            }
            return Optional.of(OperatorPlan.addVoter(OperatorKind.REPAIR, id, target.get(),
                    voters + " of " + replicationFactor + " voters"));
        }
        if (voters > replicationFactor) {
            long victim = excessVoter(view, range, ledger);
            if (!RangeHealth.keepsQuorumWithout(range, victim, view)) {
                result.skip(id, voters + " voters, but removing n" + victim + " would leave no live majority");
                return Optional.empty();
            }
            return Optional.of(OperatorPlan.remove(OperatorKind.REPAIR, id, victim,
                    voters + " voters, the factor is " + replicationFactor));
        }
        return Optional.empty();
    }

    // Never the leader; prefer a voter on a node not UP, then the fullest node, then the highest id.
    private static long excessVoter(ClusterView view, RangeInfo range, LoadLedger ledger) {
        Comparator<Replica> worstFirst = Comparator
                .comparing((Replica r) -> view.stateOf(r.nodeId()) == NodeState.UP)
                .thenComparingInt(r -> -ledger.replicas(r.nodeId()))
                .thenComparingLong(r -> -r.nodeId());
        return range.voters().stream()
                .filter(r -> r.nodeId() != range.leaderNodeId())
                .min(worstFirst)
                .orElseThrow()
                .nodeId();
    }
}
