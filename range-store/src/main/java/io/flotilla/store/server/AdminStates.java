package io.flotilla.store.server;

import io.flotilla.store.range.RangeException;
import io.flotilla.transport.proto.AdminState;
import io.flotilla.transport.proto.SetAdminStateRequest;
import io.flotilla.transport.proto.SetAdminStateResponse;
import io.grpc.StatusRuntimeException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Records an operator's decision about a node (decommissioning, removed) on that node itself,
 * which keeps it across restarts and reports it in every heartbeat.
 */
final class AdminStates {
    private final NodeContext ctx;
    private final NodeDecisions decisions;

    AdminStates(NodeContext ctx, NodeDecisions decisions) {
        this.ctx = ctx;
        this.decisions = decisions;
    }

    /** Records {@code state} on {@code nodeId}, here or over the wire; blocks at most a few seconds. */
    void tellNow(long nodeId, AdminState state) {
        if (nodeId == ctx.nodeId()) {
            decisions.setAdminState(state);
            return;
        }
        String address = ctx.book().get(nodeId);
        if (address == null) {
            throw new RangeException.NodeNotFound(nodeId);
        }
        SetAdminStateResponse r;
        try {
            r = ctx.peers().admin(address).withDeadlineAfter(3, TimeUnit.SECONDS)
                    .setAdminState(SetAdminStateRequest.newBuilder().setNodeId(nodeId).setState(state).build());
        } catch (StatusRuntimeException e) {
            throw AdminCall.peerFailure(nodeId, "recording " + state + " on the node", e);
        }
        if (r.hasError()) {
            throw new RangeException.FailedPrecondition("node " + nodeId + " refused " + state + ": "
                    + r.getError().getMessage());
        }
    }

    /** As {@link #tellNow}, on {@code executor}; the future fails with why it could not. */
    CompletableFuture<Void> tell(long nodeId, AdminState state, Executor executor) {
        return CompletableFuture.runAsync(() -> tellNow(nodeId, state), executor);
    }

    /** Serves SetAdminState: the request must name this node. */
    void record(SetAdminStateRequest req) {
        if (req.getNodeId() != ctx.nodeId()) {
            throw new RangeException.InvalidArgument("this is node " + ctx.nodeId() + ", not node " + req.getNodeId());
        }
        decisions.setAdminState(req.getState());
        ctx.log().info("this node is now {}", req.getState());
    }
}
