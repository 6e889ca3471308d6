package io.flotilla.client.error;

import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.RangeDescriptor;
import io.grpc.Status;
import java.util.List;

/** Turns what the wire reports (a {@code KvError}, a gRPC status) into the typed exceptions. */
public final class ErrorMapping {
    private ErrorMapping() {
    }

    public static FlotillaException fromKvError(KvError error) {
        String message = error.getMessage();
        switch (error.getKindCase()) {
            case NOT_LEADER:
                return new FlotillaException.NotLeader(error.getNotLeader().getRangeId(),
                        error.getNotLeader().getLeaderNodeId(), error.getNotLeader().getLeaderAddress(), message);
            case EPOCH_NOT_MATCH:
                List<Long> ids = error.getEpochNotMatch().getCurrentList().stream()
                        .map(RangeDescriptor::getRangeId).toList();
                return new FlotillaException.EpochNotMatch(ids, message);
            case RANGE_NOT_FOUND:
                return new FlotillaException.RangeNotFound(error.getRangeNotFound().getRangeId(), message);
            case KEY_NOT_IN_RANGE:
                return new FlotillaException.KeyNotInRange(error.getKeyNotInRange().getKey().toByteArray(), message);
            case PROPOSAL_DROPPED:
                return new FlotillaException.ProposalDropped(message);
            case TIMEOUT:
                return new FlotillaException.Timeout(message);
            case INVALID_ARGUMENT:
                return new FlotillaException.InvalidArgument(message.isEmpty() ? "rejected by the server" : message);
            case RESOURCE_EXHAUSTED:
                return new FlotillaException.ResourceExhausted(message.isEmpty() ? "reported by the server" : message);
            case NODE_NOT_FOUND:
                return new FlotillaException.NodeNotFound(error.getNodeNotFound().getNodeId(), message);
            case FAILED_PRECONDITION:
                return new FlotillaException.FailedPrecondition(message.isEmpty() ? "refused by the server" : message);
            default:
                return new FlotillaException.RpcFailed("the server reported an error of no known kind: "
                        + (message.isEmpty() ? "(no message)" : message), null);
        }
    }

    /**
     * A failed gRPC call to {@code address}, for the cases with no retry rule of their own:
     * UNAVAILABLE and DEADLINE_EXCEEDED become {@link FlotillaException.NodeUnavailable}, the
     * statuses that match a typed kind become that kind, anything else {@link FlotillaException.RpcFailed}.
     */
    public static FlotillaException fromTransport(String call, String address, Throwable failure) {
        Status status = Status.fromThrowable(failure);
        String description = status.getDescription() == null ? "" : ": " + status.getDescription();
        switch (status.getCode()) {
            case UNAVAILABLE:
            case DEADLINE_EXCEEDED:
                return new FlotillaException.NodeUnavailable(address, failure);
            case INVALID_ARGUMENT:
                return new FlotillaException.InvalidArgument(call + " to " + address + description);
            case RESOURCE_EXHAUSTED:
                return new FlotillaException.ResourceExhausted(call + " to " + address + description);
            default:
                return new FlotillaException.RpcFailed(call + " to " + address + " failed with "
                        + status.getCode() + description, failure);
        }
    }

    /**
     * Whether a transport failure means the node could not be reached, did not answer in time, or
     * went away mid-call (gRPC reports a connection closed under a call as UNKNOWN "channel
     * closed" — what a node killed with SIGKILL looks like). KV requests are safe to retry
     * elsewhere after any of these: reads change nothing and writes carry (client, seq).
     */
    public static boolean nodeUnreachable(Throwable failure) {
        Status.Code code = Status.fromThrowable(failure).getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.UNKNOWN;
    }
}
