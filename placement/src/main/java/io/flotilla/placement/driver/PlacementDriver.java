package io.flotilla.placement.driver;

import io.flotilla.placement.allocation.ReplicaAllocator;
import io.flotilla.placement.balance.LeaderBalancer;
import io.flotilla.placement.balance.LeaderPlan;
import io.flotilla.placement.balance.ReplicaBalancer;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.decommission.DecommissionPolicy;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operator.OperatorController;
import io.flotilla.placement.operator.OperatorState;
import io.flotilla.placement.operator.OperatorStatus;
import io.flotilla.placement.operator.SlotBudget;
import io.flotilla.placement.operator.SubmitResult;
import io.flotilla.placement.policy.LoadLedger;
import io.flotilla.placement.policy.PlacementPolicy;
import io.flotilla.placement.policy.PlanningContext;
import io.flotilla.placement.policy.PolicyResult;
import io.flotilla.placement.policy.Skip;
import io.flotilla.placement.repair.RepairPolicy;
import io.flotilla.placement.split.SplitPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The placement driver's loop body. Each {@link #tick} advances running operators, then asks the
 * policies in priority order (repair, decommission, split, replica balance, leader balance) for
 * plans and hands them to the controller: a more urgent policy takes ranges and operator slots
 * first, and a range with an operator is left alone by the rest. Finally it marks drained
 * decommissioning nodes REMOVED. Before all that it cancels scheduled operators that would
 * still move a replica or leadership onto a node that stopped taking work. Runs on one thread (the meta range leader's).
 */
public final class PlacementDriver {

    private final OperatorController controller;
    private final NodeRegistry registry;
    private final ReplicaBalancer replicaBalancer;
    private final LeaderBalancer leaderBalancer;
    private final DecommissionPolicy decommission;
    private final List<PlacementPolicy> policies;
    /** Removals asked for and not yet visible in the view; a failed one is asked again. */
    private final Set<Long> removalsAsked = ConcurrentHashMap.newKeySet();

    public PlacementDriver(PlacementConfig config, OperatorController controller, NodeRegistry registry) {
        this.controller = controller;
        this.registry = registry;
        ReplicaAllocator allocator = new ReplicaAllocator(config.maxFullness());
        this.replicaBalancer = new ReplicaBalancer(allocator, config.replicaTolerance(), config.replicationFactor());
        this.leaderBalancer = new LeaderBalancer(config.leaderTolerance());
        this.decommission = new DecommissionPolicy(allocator);
        this.policies = List.of(
                new RepairPolicy(allocator, config.replicationFactor(), config.replaceAfterMillis()),
                decommission,
                new SplitPolicy(config.split()),
                replicaBalancer,
                leaderBalancer);
    }

    public OperatorController controller() {
        return controller;
    }

    /** One round of placement against {@code view}, taken at (or just before) {@code nowMillis}. */
    public TickReport tick(ClusterView view, long nowMillis) {
        List<Long> cancelled = cancelObsolete(view, nowMillis);
        controller.tick(nowMillis);
        if (controller.isPaused()) {
            return new TickReport(nowMillis, true, List.of(), List.of(), List.of(), cancelled);
        }
        PlanningContext context = context(view, controller.budget(nowMillis));
        List<TickReport.Submission> submissions = new ArrayList<>();
        List<Skip> skips = new ArrayList<>();
        for (PlacementPolicy policy : policies) {
            PolicyResult result = policy.propose(view, context);
            skips.addAll(result.skips());
            for (OperatorPlan plan : result.plans()) {
                SubmitResult answer = controller.submit(plan, nowMillis);
                submissions.add(new TickReport.Submission(plan, answer));
            }
        }
        return new TickReport(nowMillis, false, submissions, skips, markDrainedNodesRemoved(view), cancelled);
    }

    /**
     * Cancels scheduled operators that would still add a replica or hand a leadership to a
     * node that is no longer taking work (draining, dead or removed): finishing them would only
     * create work for decommission or repair. Done before the controller issues the next steps.
     */
    private List<Long> cancelObsolete(ClusterView view, long nowMillis) {
        List<Long> cancelled = new ArrayList<>();
        for (OperatorStatus status : controller.operators()) {
            if (status.state() != OperatorState.RUNNING || status.plan().kind() == OperatorKind.MANUAL) {
                continue;
            }
            List<Operation> steps = status.plan().steps();
            for (Operation step : steps.subList(status.currentStep(), steps.size())) {
                OptionalLong receiver = receiver(step);
                if (receiver.isPresent() && isGone(view.stateOf(receiver.getAsLong()))) {
                    controller.cancel(status.operatorId(), nowMillis);
                    cancelled.add(status.operatorId());
                    break;
                }
            }
        }
        return cancelled;
    }

    private static OptionalLong receiver(Operation step) {
        if (step instanceof Operation.AddLearner a) {
            return OptionalLong.of(a.nodeId());
        }
        if (step instanceof Operation.PromoteLearner p) {
            return OptionalLong.of(p.nodeId());
        }
        if (step instanceof Operation.TransferLeader t) {
            return OptionalLong.of(t.toNodeId());
        }
        return OptionalLong.empty();
    }

    private static boolean isGone(NodeState state) {
        return state == NodeState.DECOMMISSIONING || state == NodeState.DEAD || state == NodeState.REMOVED;
    }

    /** What {@code admin rebalance-leaders --dry-run} prints: every transfer, limits aside. */
    public LeaderPlan planLeaderRebalance(ClusterView view) {
        return leaderBalancer.plan(view, context(view, SlotBudget.unlimited()));
    }

    /** The replica moves a rebalance would make now, limits aside: for a dry run. */
    public PolicyResult planReplicaRebalance(ClusterView view) {
        return replicaBalancer.propose(view, context(view, SlotBudget.unlimited()));
    }

    private PlanningContext context(ClusterView view, SlotBudget budget) {
        return new PlanningContext(controller.busyRanges(), LoadLedger.of(view, controller.pendingSteps()), budget);
    }

    private List<Long> markDrainedNodesRemoved(ClusterView view) {
        removalsAsked.removeIf(node -> view.stateOf(node) != NodeState.DECOMMISSIONING);
        List<Long> asked = new ArrayList<>();
        for (long node : decommission.drainedNodes(view, controller.usedPerNode().keySet())) {
            if (removalsAsked.add(node)) {
                asked.add(node);
                registry.markRemoved(node).whenComplete((ok, error) -> {
                    if (error != null) {
                        removalsAsked.remove(node);
                    }
                });
            }
        }
        return asked;
    }
}
