package io.flotilla.store.server;

import io.flotilla.placement.balance.LeaderPlan;
import io.flotilla.placement.balance.LeaderTransfer;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operator.CancelOutcome;
import io.flotilla.placement.operator.OperatorStatus;
import io.flotilla.store.range.RangeException;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.AdminState;
import io.flotilla.transport.proto.CancelOperatorRequest;
import io.flotilla.transport.proto.CancelOperatorResponse;
import io.flotilla.transport.proto.DecommissionRequest;
import io.flotilla.transport.proto.DecommissionResponse;
import io.flotilla.transport.proto.ListOperatorsResponse;
import io.flotilla.transport.proto.OperatorInfo;
import io.flotilla.transport.proto.PlannedMove;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.RebalanceRequest;
import io.flotilla.transport.proto.RebalanceResponse;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The placement requests the driver answers — rebalance plans, operators, decommission — so any
 * other node forwards them to the leader of range 1, where it runs. Settings recorded on every
 * node are {@link PlacementSettings}'.
 */
final class PlacementAdmin {
    private final NodeContext ctx;
    private final PlacementLoop loop;
    private final AdminStates adminStates;

    PlacementAdmin(NodeContext ctx, PlacementLoop loop, AdminStates adminStates) {
        this.ctx = ctx;
        this.loop = loop;
        this.adminStates = adminStates;
    }

    // ---------------------------------------------------------------- rebalancing

    RebalanceResponse rebalanceLeaders(RebalanceRequest req, AdminCall call) {
        return atDriver(call, "rebalancing leaders", s -> s.rebalanceLeaders(req), () -> loop.onDriver(d -> {
            ClusterView view = d.lastView;
            LeaderPlan plan = d.driver.planLeaderRebalance(view);
            RebalanceResponse.Builder out = RebalanceResponse.newBuilder().setDriverNodeId(ctx.nodeId());
            int started = 0;
            for (LeaderTransfer t : plan.transfers()) {
                out.addMoves(PlannedMove.newBuilder().setRangeId(t.rangeId()).setFromNodeId(t.fromNodeId())
                        .setToNodeId(t.toNodeId()).setDescription("leader " + t));
                // Asked for explicitly, and cheap (no data moves): manual, so it runs even while paused.
                if (!req.getDryRun() && d.controller.submit(OperatorPlan.transferLeader(OperatorKind.MANUAL,
                        t.rangeId(), t.fromNodeId(), t.toNodeId(), "rebalance-leaders"), d.now()).accepted()) {
                    started++;
                }
            }
            ctx.log().info("rebalance-leaders{}: {} transfers planned, {} started", req.getDryRun() ? " (dry run)" : "",
                    plan.transfers().size(), started);
            return out.setStarted(started).build();
        }, call));
    }

    RebalanceResponse rebalanceReplicas(RebalanceRequest req, AdminCall call) {
        return atDriver(call, "rebalancing replicas", s -> s.rebalanceReplicas(req), () -> loop.onDriver(d -> {
            if (!req.getDryRun() && d.controller.isPaused()) {
                // Replica moves copy data: they stay under the scheduler's limits, which a pause stops.
                throw new RangeException.FailedPrecondition("placement is paused; resume it first (admin placement"
                        + " resume), or ask for the plan with --dry-run");
            }
            RebalanceResponse.Builder out = RebalanceResponse.newBuilder().setDriverNodeId(ctx.nodeId());
            int started = 0;
            for (OperatorPlan plan : d.driver.planReplicaRebalance(d.lastView).plans()) {
                long from = 0;
                long to = 0;
                for (Operation step : plan.steps()) {
                    if (step instanceof Operation.AddLearner a) {
                        to = a.nodeId();
                    } else if (step instanceof Operation.RemoveReplica r) {
                        from = r.nodeId();
                    }
                }
                out.addMoves(PlannedMove.newBuilder().setRangeId(plan.rangeId()).setFromNodeId(from).setToNodeId(to)
                        .setDescription(plan.describe()));
                if (!req.getDryRun() && d.controller.submit(plan, d.now()).accepted()) {
                    started++;
                }
            }
            return out.setStarted(started).build();
        }, call));
    }

    // ---------------------------------------------------------------- operators

    ListOperatorsResponse listOperators(AdminCall call) {
        return atDriver(call, "listing operators",
                s -> s.listOperators(io.flotilla.transport.proto.ListOperatorsRequest.getDefaultInstance()),
                () -> loop.onDriver(d -> {
                    ListOperatorsResponse.Builder out = ListOperatorsResponse.newBuilder()
                            .setPaused(d.controller.isPaused()).setDriverNodeId(ctx.nodeId());
                    for (OperatorStatus s : d.controller.operators()) {
                        out.addOperators(toProto(s));
                    }
                    return out.build();
                }, call));
    }

    CancelOperatorResponse cancelOperator(CancelOperatorRequest req, AdminCall call) {
        if (req.getOperatorId() == 0) {
            throw new RangeException.InvalidArgument("cancelling needs an operator id");
        }
        return atDriver(call, "cancelling an operator", s -> s.cancelOperator(req), () -> loop.onDriver(d -> {
            CancelOutcome outcome = d.controller.cancel(req.getOperatorId(), d.now());
            if (outcome == CancelOutcome.UNKNOWN_OPERATOR) {
                throw new RangeException.InvalidArgument("no operator " + req.getOperatorId()
                        + " is known to the placement driver on node " + ctx.nodeId());
            }
            return CancelOperatorResponse.newBuilder().setOutcome(outcome.name().toLowerCase()).build();
        }, call));
    }

    static OperatorInfo toProto(OperatorStatus s) {
        return OperatorInfo.newBuilder().setOperatorId(s.operatorId()).setRangeId(s.rangeId())
                .setKind(s.plan().kind().name().toLowerCase()).setState(s.state().name().toLowerCase())
                .setDescription(s.plan().describe()).setCurrentStep(s.currentStep()).setSteps(s.plan().steps().size())
                .setAttempt(s.attempt()).setStartedAtMs(s.startedAtMillis()).setUpdatedAtMs(s.updatedAtMillis())
                .setLastError(s.lastError()).build();
    }

    // ---------------------------------------------------------------- decommission

    /**
     * Marks a node decommissioning, after checking that it is a live member and that the nodes
     * left can hold every range's replicas; placement then moves its replicas away and marks it
     * removed once it holds none. Asking again for a node already decommissioning changes nothing.
     */
    DecommissionResponse decommission(DecommissionRequest req, AdminCall call) {
        long node = req.getNodeId();
        if (node == 0) {
            throw new RangeException.InvalidArgument("decommissioning needs a node id");
        }
        return atDriver(call, "decommissioning a node", s -> s.decommission(req), () -> loop.onDriver(d -> {
            ClusterView view = d.lastView;
            NodeInfo info = view.node(node).orElseThrow(() -> new RangeException.NodeNotFound(node));
            int replicas = view.rangesOn(node).size();
            DecommissionResponse done = DecommissionResponse.newBuilder().setReplicasToMove(replicas).build();
            switch (info.state()) {
                case DECOMMISSIONING:
                    return done;
                case REMOVED:
                    throw new RangeException.FailedPrecondition("node " + node + " was removed already");
                case DEAD:
                case SUSPECT:
                    throw new RangeException.FailedPrecondition("node " + node + " is " + info.state()
                            .name().toLowerCase() + ", not answering: placement replaces the replicas of a node dead for "
                            + loop.options().replaceAfterMillis() + " ms on its own");
                default:
                    break;
            }
            int factor = loop.options().config().replicationFactor();
            long left = view.nodes().stream().filter(n -> n.nodeId() != node && n.state() == NodeState.UP).count();
            if (left < factor) {
                throw new RangeException.FailedPrecondition("decommissioning node " + node + " would leave " + left
                        + (left == 1 ? " node" : " nodes") + " to hold ranges that need " + factor
                        + " replicas; add a node first");
            }
            adminStates.tellNow(node, AdminState.ADMIN_DECOMMISSIONING);
            d.builder.setAdminState(node, io.flotilla.placement.cluster.AdminState.DECOMMISSIONING);
            ctx.log().info("node {} is decommissioning: {} replicas to move away", node, replicas);
            return done;
        }, call));
    }

    // ---------------------------------------------------------------- finding the driver

    /**
     * Runs {@code here} if this node runs the driver, else forwards the request to the leader of
     * range 1 (once: a forwarded request that misses gets NotLeader).
     */
    private <T> T atDriver(AdminCall call, String what, Function<AdminGrpc.AdminBlockingStub, T> forward,
                           java.util.function.Supplier<T> here) {
        if (loop.isDriver()) {
            try {
                return here.get();
            } catch (RangeException.NotLeader moved) {
                // The driver moved between the check and the call: find it below.
            }
        }
        if (!loop.options().enabled()) {
            throw new RangeException.FailedPrecondition("placement is disabled on node " + ctx.nodeId());
        }
        long driver = driverNode(call);
        if (driver == 0 || driver == ctx.nodeId() || call.forwarded()) {
            throw new RangeException.NotLeader(PlacementLoop.ANCHOR_RANGE, driver);
        }
        String address = ctx.book().get(driver);
        if (address == null) {
            throw new RangeException.NotLeader(PlacementLoop.ANCHOR_RANGE, driver);
        }
        try {
            return forward.apply(Forwarding.mark(ctx.peers().admin(address))
                    .withDeadlineAfter(Math.max(1, call.remainingMillis()), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw AdminCall.peerFailure(driver, what, e);
        }
    }

    /** The leader of range 1: as this node's engine knows it, else as the cluster reports it. */
    private long driverNode(AdminCall call) {
        long here = loop.anchorLeaderHere();
        if (here != 0) {
            return here;
        }
        long ms = Math.max(1, Math.min(2000, call.remainingMillis()));
        for (RangeStatus s : call.await(ctx.survey().take(Duration.ofMillis(ms)), "surveying the cluster").reports()
                .stream().filter(ClusterSurvey.NodeReport::reachable)
                .flatMap(r -> r.response().getRangesList().stream()).toList()) {
            if (s.getRange().getRangeId() == PlacementLoop.ANCHOR_RANGE && s.getLeaderNodeId() != 0) {
                return s.getLeaderNodeId();
            }
        }
        return 0;
    }
}
