package io.flotilla.store.server;

import com.google.protobuf.ByteString;
import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.operator.RangeActions;
import io.flotilla.store.range.RangeException;
import io.flotilla.transport.proto.AddReplicaRequest;
import io.flotilla.transport.proto.RemoveReplicaRequest;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.TransferLeaderRequest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The placement operators' steps carried out on the real cluster, through the same code paths
 * as the admin API ({@link RangeOperations}): each step finds the range's leader (here or
 * forwarded to it), proposes the change to the range's Raft group and waits until it is applied.
 * A step blocks while it waits for an election, a snapshot or a learner catching up, so steps run
 * on the operator pool, never on the placement thread; each is bounded by {@code stepMillis}.
 */
final class RaftRangeActions implements RangeActions {
    private final RangeOperations operations;
    private final ExecutorService steps;
    private final long stepMillis;
    private final long catchUpMillis;
    private final java.util.function.LongSupplier term;

    /**
     * @param term which driver term is current (it changes whenever this node takes or drops the
     *             driver): a step issued in an earlier term that has not started yet fails instead
     */
    RaftRangeActions(RangeOperations operations, ExecutorService steps, long stepMillis, long catchUpMillis,
                     java.util.function.LongSupplier term) {
        this.operations = operations;
        this.term = term;
        this.steps = steps;
        this.stepMillis = stepMillis;
        this.catchUpMillis = catchUpMillis;
    }

    @Override
    public CompletableFuture<Void> split(long rangeId, Key splitKey) {
        SplitRangeRequest req = SplitRangeRequest.newBuilder().setRangeId(rangeId)
                .setSplitKey(ByteString.copyFrom(splitKey.bytes())).build();
        return run(stepMillis, call -> operations.split(req, call));
    }

    /** Adds the learner and waits until its snapshot has brought it level with the leader. */
    @Override
    public CompletableFuture<Void> addLearner(long rangeId, long nodeId) {
        AddReplicaRequest req = AddReplicaRequest.newBuilder().setRangeId(rangeId).setNodeId(nodeId).setLearner(true)
                .build();
        return run(catchUpMillis, call -> operations.addReplica(req, call));
    }

    @Override
    public CompletableFuture<Void> promoteLearner(long rangeId, long nodeId) {
        AddReplicaRequest req = AddReplicaRequest.newBuilder().setRangeId(rangeId).setNodeId(nodeId).setLearner(false)
                .setPromoteOnly(true).build();
        return run(catchUpMillis, call -> operations.addReplica(req, call));
    }

    @Override
    public CompletableFuture<Void> removeReplica(long rangeId, long nodeId) {
        RemoveReplicaRequest req = RemoveReplicaRequest.newBuilder().setRangeId(rangeId).setNodeId(nodeId).build();
        return run(stepMillis, call -> operations.removeReplica(req, call));
    }

    @Override
    public CompletableFuture<Void> transferLeader(long rangeId, long fromNodeId, long toNodeId) {
        TransferLeaderRequest req = TransferLeaderRequest.newBuilder().setRangeId(rangeId).setToNodeId(toNodeId).build();
        return run(stepMillis, call -> operations.transferLeader(req, call));
    }

    private CompletableFuture<Void> run(long millis, Function<AdminCall, ?> step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long issuedIn = term.getAsLong();
        try {
            steps.execute(() -> {
                try {
                    if (term.getAsLong() != issuedIn) {
                        // The driver moved on while this step waited: the new one decides afresh.
                        throw new RangeException.NotLeader(PlacementLoop.ANCHOR_RANGE, 0);
                    }
                    step.apply(AdminCall.within(millis, false));
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
