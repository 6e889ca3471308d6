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
import io.flotilla.transport.proto.HoldRangeRequest;
import io.flotilla.transport.proto.ListOperatorsResponse;
import io.flotilla.transport.proto.OperatorInfo;
import io.flotilla.transport.proto.PlannedMove;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.RebalanceRequest;
import io.flotilla.transport.proto.RebalanceResponse;
import io.flotilla.transport.proto.RecordPlacementPausedRequest;
import io.flotilla.transport.proto.SetPlacementPausedRequest;
import io.flotilla.transport.proto.SetPlacementPausedResponse;
import io.flotilla.transport.proto.SetLeaderPreferenceRequest;
import io.flotilla.transport.proto.SetLeaderPreferenceResponse;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The placement half of the Admin API. Requests about operators and plans are answered by the
 * placement driver, so any other node forwards them to the leader of range 1; pause and resume
 * are recorded on every node (the driver follows its own node's setting, and a new driver
 * inherits it).
 */
final class PlacementAdmin {
    private final NodeContext ctx;
    private final PlacementLoop loop;
    private final NodeDecisions decisions;
    private final AdminStates adminStates;

    PlacementAdmin(NodeContext ctx, PlacementLoop loop, NodeDecisions decisions, AdminStates adminStates) {
        this.ctx = ctx;
        this.loop = loop;
        this.decisions = decisions;
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

    // ---------------------------------------------------------------- pause and resume

    /** Records the setting here and on every node that answers; says which did. */
    SetPlacementPausedResponse setPaused(SetPlacementPausedRequest req, AdminCall call) {
        decisions.setPaused(req.getPaused());
        RecordPlacementPausedRequest record = RecordPlacementPausedRequest.newBuilder().setPaused(req.getPaused()).build();
        List<Long> recorded = tellEveryNode(call, "placement " + (req.getPaused() ? "paused" : "resumed"),
                stub -> stub.recordPlacementPaused(record));
        ctx.log().info("placement {} (recorded on nodes {})", req.getPaused() ? "paused" : "resumed", recorded);
        return SetPlacementPausedResponse.newBuilder().setPaused(req.getPaused()).addAllRecordedOn(recorded).build();
    }

    /**
     * Records a leader preference here and, unless this copy was forwarded, on every other node
     * that answers. An unknown node or range, or a malformed label, is refused and nothing is
     * recorded anywhere.
     */
    SetLeaderPreferenceResponse setLeaderPreference(SetLeaderPreferenceRequest req, AdminCall call) {
        String spec = switch (req.getPreferenceCase()) {
            case NODE_ID -> {
                if (req.getNodeId() != ctx.nodeId() && ctx.book().get(req.getNodeId()) == null) {
                    throw new RangeException.NodeNotFound(req.getNodeId());
                }
                yield LeaderPreferences.onNode(req.getNodeId());
            }
            case LABEL -> {
                try {
                    yield LeaderPreferences.onLabel(req.getLabel());
                } catch (IllegalArgumentException e) {
                    throw new RangeException.InvalidArgument(e.getMessage());
                }
            }
            case CLEAR -> null;
            default -> throw new RangeException.InvalidArgument("a leader preference needs a node, a label, or clear");
        };
        long rangeId = req.getRangeId();
        if (!call.forwarded() && rangeId != 0 && spec != null && RangeTable.merge(call.await(
                ctx.survey().take(Duration.ofMillis(Math.max(1, Math.min(2000, call.remainingMillis())))),
                "surveying the cluster").reports()).stream().noneMatch(r -> r.getRange().getRangeId() == rangeId)) {
            throw new RangeException.RangeNotFound(rangeId);
        }
        decisions.setPreference(rangeId, spec);
        List<Long> recorded = call.forwarded() ? List.of(ctx.nodeId())
                : tellEveryNode(call, "a leader preference", stub -> stub.setLeaderPreference(req));
        ctx.log().info("leader preference for {}: {} (recorded on nodes {})",
                rangeId == 0 ? "every range" : "range " + rangeId, spec == null ? "none" : spec, recorded);
        return SetLeaderPreferenceResponse.newBuilder().addAllRecordedOn(recorded).build();
    }

    /**
     * Sends a setting to every other node (marked forwarded, so they only record it), in
     * parallel and bounded by the call; returns this node and those that answered.
     */
    private List<Long> tellEveryNode(AdminCall call, String what,
                                     Function<AdminGrpc.AdminFutureStub, com.google.common.util.concurrent.ListenableFuture<?>> send) {
        List<Long> recorded = new ArrayList<>(List.of(ctx.nodeId()));
        List<Map.Entry<Long, CompletableFuture<?>>> asks = new ArrayList<>();
        long ms = Math.max(1, Math.min(3_000, call.remainingMillis()));
        for (Map.Entry<Long, String> e : ctx.book().all().entrySet()) {
            if (e.getKey() != ctx.nodeId()) {
                asks.add(Map.entry(e.getKey(), toFuture(send.apply(Forwarding.mark(ctx.peers().adminAsync(e.getValue()))
                        .withDeadlineAfter(ms, TimeUnit.MILLISECONDS)))));
            }
        }
        for (Map.Entry<Long, CompletableFuture<?>> a : asks) {
            try {
                a.getValue().get(ms + 500, TimeUnit.MILLISECONDS);
                recorded.add(a.getKey());
            } catch (Exception e) {
                ctx.log().info("node {} did not record {}: {}", a.getKey(), what, e.toString());
            }
        }
        return recorded;
    }

    void recordPaused(RecordPlacementPausedRequest req) {
        decisions.setPaused(req.getPaused());
    }

    private static <T> CompletableFuture<T> toFuture(com.google.common.util.concurrent.ListenableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.addListener(() -> {
            try {
                out.complete(f.get());
            } catch (Exception e) {
                out.completeExceptionally(e);
            }
        }, Runnable::run);
        return out;
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

    // ---------------------------------------------------------------- manual changes

    /**
     * Tells the driver, without waiting, that an admin is about to change {@code rangeId} by hand
     * and may take up to {@code millis}: it cancels a scheduled operator on the range and starts
     * none there until then (plus a settle time), so that the scheduler does not fight the change.
     * Sent to every node, since only the driver acts on it and this node may not know where it runs.
     */
    void holdForManualChange(long rangeId, long millis) {
        if (rangeId == 0 || !loop.options().enabled()) {
            return;
        }
        loop.hold(rangeId, millis);
        HoldRangeRequest req = HoldRangeRequest.newBuilder().setRangeId(rangeId).setMillis(Math.max(0, millis)).build();
        for (Map.Entry<Long, String> e : ctx.book().all().entrySet()) {
            if (e.getKey() != ctx.nodeId()) {
                try {
                    Forwarding.mark(ctx.peers().adminAsync(e.getValue())).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .holdRange(req);
                } catch (RuntimeException ignored) {
                    // best effort: a node that cannot be told is not the driver, or the hold comes too late anyway
                }
            }
        }
    }

    void hold(HoldRangeRequest req) {
        loop.hold(req.getRangeId(), req.getMillis());
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
