package io.flotilla.store.server;

import io.flotilla.transport.proto.AddReplicaRequest;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.ChangeResponse;
import io.flotilla.transport.proto.ClusterHealthRequest;
import io.flotilla.transport.proto.ClusterHealthResponse;
import io.flotilla.transport.proto.JoinRequest;
import io.flotilla.transport.proto.JoinResponse;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.ListNodesRequest;
import io.flotilla.transport.proto.ListNodesResponse;
import io.flotilla.transport.proto.ListRangesRequest;
import io.flotilla.transport.proto.ListRangesResponse;
import io.flotilla.transport.proto.LocalRangesRequest;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.MoveReplicaRequest;
import io.flotilla.transport.proto.PrepareReplicaRequest;
import io.flotilla.transport.proto.PrepareReplicaResponse;
import io.flotilla.transport.proto.RemoveReplicaRequest;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.flotilla.transport.proto.TransferLeaderRequest;
import io.flotilla.transport.proto.CancelOperatorRequest;
import io.flotilla.transport.proto.CancelOperatorResponse;
import io.flotilla.transport.proto.DecommissionRequest;
import io.flotilla.transport.proto.DecommissionResponse;
import io.flotilla.transport.proto.HoldRangeRequest;
import io.flotilla.transport.proto.HoldRangeResponse;
import io.flotilla.transport.proto.SetLeaderPreferenceRequest;
import io.flotilla.transport.proto.SetLeaderPreferenceResponse;
import io.flotilla.transport.proto.ListOperatorsRequest;
import io.flotilla.transport.proto.ListOperatorsResponse;
import io.flotilla.transport.proto.RebalanceRequest;
import io.flotilla.transport.proto.RebalanceResponse;
import io.flotilla.transport.proto.RecordPlacementPausedRequest;
import io.flotilla.transport.proto.RecordPlacementPausedResponse;
import io.flotilla.transport.proto.SetAdminStateRequest;
import io.flotilla.transport.proto.SetAdminStateResponse;
import io.flotilla.transport.proto.SetPlacementPausedRequest;
import io.flotilla.transport.proto.SetPlacementPausedResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The Admin API: operating ranges (split, leader transfer, replica changes), reading the
 * cluster (ranges, nodes, health), placement (rebalance, operators, pause, decommission; see
 * {@link PlacementAdmin}), and the node-to-node calls (Join, PrepareReplica, LocalRanges,
 * SetAdminState, RecordPlacementPaused). Operations may wait for Raft (an election, a snapshot), so they run on the
 * node's admin threads, each bounded by its deadline; a failure is the typed error in the
 * response.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {
    /** An admin call's deadline when the caller sets none, and the longest it may ask for. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    private final NodeContext ctx;
    private final RangeOperations operations;
    private final ClusterReports reports;
    private final Membership membership;
    private final PlacementAdmin placement;
    private final PlacementSettings settings;
    private final AdminStates adminStates;
    private final ExecutorService workers;

    AdminService(NodeContext ctx, RangeOperations operations, ClusterReports reports, Membership membership,
                 PlacementAdmin placement, PlacementSettings settings, AdminStates adminStates, ExecutorService workers) {
        this.ctx = ctx;
        this.operations = operations;
        this.reports = reports;
        this.membership = membership;
        this.placement = placement;
        this.settings = settings;
        this.adminStates = adminStates;
        this.workers = workers;
    }

    @Override
    public void rebalanceLeaders(RebalanceRequest req, StreamObserver<RebalanceResponse> out) {
        run(out, call -> placement.rebalanceLeaders(req, call), e -> RebalanceResponse.newBuilder().setError(e).build());
    }

    @Override
    public void rebalanceReplicas(RebalanceRequest req, StreamObserver<RebalanceResponse> out) {
        run(out, call -> placement.rebalanceReplicas(req, call), e -> RebalanceResponse.newBuilder().setError(e).build());
    }

    @Override
    public void listOperators(ListOperatorsRequest req, StreamObserver<ListOperatorsResponse> out) {
        run(out, placement::listOperators, e -> ListOperatorsResponse.newBuilder().setError(e).build());
    }

    @Override
    public void cancelOperator(CancelOperatorRequest req, StreamObserver<CancelOperatorResponse> out) {
        run(out, call -> placement.cancelOperator(req, call),
                e -> CancelOperatorResponse.newBuilder().setError(e).build());
    }

    @Override
    public void setPlacementPaused(SetPlacementPausedRequest req, StreamObserver<SetPlacementPausedResponse> out) {
        run(out, call -> settings.setPaused(req, call), e -> SetPlacementPausedResponse.newBuilder().setError(e).build());
    }

    @Override
    public void decommission(DecommissionRequest req, StreamObserver<DecommissionResponse> out) {
        run(out, call -> placement.decommission(req, call), e -> DecommissionResponse.newBuilder().setError(e).build());
    }

    @Override
    public void setAdminState(SetAdminStateRequest req, StreamObserver<SetAdminStateResponse> out) {
        run(out, call -> {
            adminStates.record(req);
            return SetAdminStateResponse.getDefaultInstance();
        }, e -> SetAdminStateResponse.newBuilder().setError(e).build());
    }

    @Override
    public void recordPlacementPaused(RecordPlacementPausedRequest req,
                                      StreamObserver<RecordPlacementPausedResponse> out) {
        run(out, call -> {
            settings.recordPaused(req);
            return RecordPlacementPausedResponse.getDefaultInstance();
        }, e -> RecordPlacementPausedResponse.newBuilder().setError(e).build());
    }

    @Override
    public void splitRange(SplitRangeRequest req, StreamObserver<SplitRangeResponse> out) {
        run(out, call -> manual(req.getRangeId(), call, () -> operations.split(req, call)),
                e -> SplitRangeResponse.newBuilder().setError(e).build());
    }

    @Override
    public void transferLeader(TransferLeaderRequest req, StreamObserver<ChangeResponse> out) {
        run(out, call -> manual(req.getRangeId(), call, () -> operations.transferLeader(req, call)),
                AdminService::changeError);
    }

    @Override
    public void addReplica(AddReplicaRequest req, StreamObserver<ChangeResponse> out) {
        run(out, call -> manual(req.getRangeId(), call, () -> operations.addReplica(req, call)),
                AdminService::changeError);
    }

    @Override
    public void removeReplica(RemoveReplicaRequest req, StreamObserver<ChangeResponse> out) {
        run(out, call -> manual(req.getRangeId(), call, () -> operations.removeReplica(req, call)),
                AdminService::changeError);
    }

    @Override
    public void moveReplica(MoveReplicaRequest req, StreamObserver<ChangeResponse> out) {
        run(out, call -> manual(req.getRangeId(), call, () -> operations.moveReplica(req, call)),
                AdminService::changeError);
    }

    @Override
    public void listRanges(ListRangesRequest req, StreamObserver<ListRangesResponse> out) {
        run(out, call -> reports.listRanges(req, call), e -> ListRangesResponse.newBuilder().setError(e).build());
    }

    @Override
    public void listNodes(ListNodesRequest req, StreamObserver<ListNodesResponse> out) {
        run(out, reports::listNodes, e -> ListNodesResponse.newBuilder().setError(e).build());
    }

    @Override
    public void clusterHealth(ClusterHealthRequest req, StreamObserver<ClusterHealthResponse> out) {
        run(out, reports::health, e -> ClusterHealthResponse.newBuilder().setError(e).build());
    }

    @Override
    public void join(JoinRequest req, StreamObserver<JoinResponse> out) {
        run(out, call -> membership.join(req, call.forwarded()), e -> JoinResponse.newBuilder().setError(e).build());
    }

    @Override
    public void prepareReplica(PrepareReplicaRequest req, StreamObserver<PrepareReplicaResponse> out) {
        run(out, call -> {
            membership.prepareReplica(req);
            return PrepareReplicaResponse.getDefaultInstance();
        }, e -> PrepareReplicaResponse.newBuilder().setError(e).build());
    }

    /** Answered at once on the calling thread: peers survey with short deadlines. */
    @Override
    public void localRanges(LocalRangesRequest req, StreamObserver<LocalRangesResponse> out) {
        LocalRangesResponse r;
        try {
            r = ctx.local().report();
        } catch (RuntimeException e) {
            KvError err = ProtoConvert.toKvError(e, ctx.book());
            if (err == null) {
                out.onError(Status.INTERNAL.withDescription(String.valueOf(e)).asRuntimeException());
                return;
            }
            r = LocalRangesResponse.newBuilder().setNodeId(ctx.nodeId()).setError(err).build();
        }
        out.onNext(r);
        out.onCompleted();
    }

    @Override
    public void setLeaderPreference(SetLeaderPreferenceRequest req, StreamObserver<SetLeaderPreferenceResponse> out) {
        run(out, call -> settings.setLeaderPreference(req, call),
                e -> SetLeaderPreferenceResponse.newBuilder().setError(e).build());
    }

    @Override
    public void holdRange(HoldRangeRequest req, StreamObserver<HoldRangeResponse> out) {
        settings.hold(req);
        out.onNext(HoldRangeResponse.getDefaultInstance());
        out.onCompleted();
    }

    /**
     * A change an admin asked for by hand: placement keeps off the range while it runs (and for a
     * settle time after), so the two never fight. Only the node the admin called says so; a
     * forwarded copy, or a step of placement's own, does not.
     */
    private <T> T manual(long rangeId, AdminCall call, java.util.function.Supplier<T> change) {
        if (call.forwarded() || rangeId == 0) {
            return change.get();
        }
        settings.holdForManualChange(rangeId, call.remainingMillis());
        try {
            return change.get();
        } finally {
            settings.holdForManualChange(rangeId, 0);
        }
    }

    private static ChangeResponse changeError(KvError e) {
        return ChangeResponse.newBuilder().setError(e).build();
    }

    /** Runs an operation on the admin threads under the call's deadline; failures become typed errors. */
    private <T> void run(StreamObserver<T> out, Function<AdminCall, T> op, Function<KvError, T> withError) {
        // Deadline and forwarding mark live in the gRPC context of this thread: read them here.
        AdminCall call = AdminCall.within(RequestDeadline.millis(0, DEFAULT_TIMEOUT, MAX_TIMEOUT), Forwarding.isForwarded());
        try {
            workers.execute(() -> {
                T response;
                try {
                    response = op.apply(call);
                } catch (RuntimeException e) {
                    KvError err = ProtoConvert.toKvError(e, ctx.book());
                    if (err == null) {
                        ctx.log().warn("admin request failed unexpectedly", e);
                        send(out, null, Status.INTERNAL.withDescription(String.valueOf(e)));
                        return;
                    }
                    response = withError.apply(err);
                }
                send(out, response, null);
            });
        } catch (RejectedExecutionException e) {
            send(out, null, Status.UNAVAILABLE.withDescription("the node is stopping"));
        }
    }

    private static <T> void send(StreamObserver<T> out, T response, Status failure) {
        try {
            if (failure != null) {
                out.onError(failure.asRuntimeException());
            } else {
                out.onNext(response);
                out.onCompleted();
            }
        } catch (RuntimeException ignored) {
            // the caller went away (cancelled, deadline passed)
        }
    }
}
