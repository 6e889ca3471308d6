package io.flotilla.client.error;

import java.time.Duration;
import java.util.List;

/**
 * Every way a Flotilla client call can fail. The kinds mirror the server's {@code KvError} kinds,
 * plus the failures the client sees on its own side (a node it cannot reach, a deadline that
 * passed, a gRPC status it has no rule for).
 *
 * <p>The client already retries the kinds that can be retried; when one of them reaches the
 * caller, the attempts or the deadline ran out. A write that failed with {@link NodeUnavailable},
 * {@link Timeout} or {@link DeadlineExceeded} may or may not have been applied: its outcome is
 * unknown, although a later retry of the same call object would never apply it twice.
 */
public abstract sealed class FlotillaException extends RuntimeException {

    FlotillaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether a fresh call might succeed later (the cluster was busy, moving or unreachable). */
    public abstract boolean isTransient();

    private static String withServerMessage(String message, String serverMessage) {
        return serverMessage == null || serverMessage.isEmpty()
                ? message
                : message + " (server: " + serverMessage + ")";
    }

    /** The node asked does not lead the range; the hint names the leader when known. */
    public static final class NotLeader extends FlotillaException {
        private final long rangeId;
        private final long leaderNodeId;
        private final String leaderAddress;

        public NotLeader(long rangeId, long leaderNodeId, String leaderAddress, String serverMessage) {
            super(withServerMessage("range " + rangeId + ": the node asked is not its leader"
                    + (leaderNodeId == 0 ? " and knows no leader"
                            : "; leader hint: node " + leaderNodeId
                                    + (leaderAddress.isEmpty() ? "" : " at " + leaderAddress)),
                    serverMessage), null);
            this.rangeId = rangeId;
            this.leaderNodeId = leaderNodeId;
            this.leaderAddress = leaderAddress;
        }

        public long rangeId() {
            return rangeId;
        }

        /** 0 when no leader was known. */
        public long leaderNodeId() {
            return leaderNodeId;
        }

        /** Empty when unknown. */
        public String leaderAddress() {
            return leaderAddress;
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The client routed by a stale range epoch (a split or membership change happened). */
    public static final class EpochNotMatch extends FlotillaException {
        private final List<Long> currentRangeIds;

        public EpochNotMatch(List<Long> currentRangeIds, String serverMessage) {
            super(withServerMessage("stale range epoch; the span is now held by ranges "
                    + currentRangeIds, serverMessage), null);
            this.currentRangeIds = List.copyOf(currentRangeIds);
        }

        public List<Long> currentRangeIds() {
            return currentRangeIds;
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The node asked holds no replica of the range. */
    public static final class RangeNotFound extends FlotillaException {
        private final long rangeId;

        public RangeNotFound(long rangeId, String serverMessage) {
            super(withServerMessage("range " + rangeId + " not found on the node asked", serverMessage),
                    null);
            this.rangeId = rangeId;
        }

        public long rangeId() {
            return rangeId;
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The key lies outside the range the request was routed to. */
    public static final class KeyNotInRange extends FlotillaException {
        private final byte[] key;

        public KeyNotInRange(byte[] key, String serverMessage) {
            super(withServerMessage("key " + KeyText.of(key) + " is not in the range the request was routed to",
                    serverMessage), null);
            this.key = key.clone();
        }

        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The leader dropped the proposal (leadership changing, queue full); nothing was applied. */
    public static final class ProposalDropped extends FlotillaException {
        public ProposalDropped(String serverMessage) {
            super(withServerMessage("the proposal was dropped by the range leader", serverMessage), null);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The server gave up waiting (for a commit or a read index); the outcome of a write is unknown. */
    public static final class Timeout extends FlotillaException {
        public Timeout(String serverMessage) {
            super(withServerMessage("the server timed out serving the request", serverMessage), null);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The request is malformed or impossible (bad key, empty batch, batch spanning ranges). */
    public static final class InvalidArgument extends FlotillaException {
        public InvalidArgument(String message) {
            super("invalid argument: " + message, null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** The node named is not a member of the cluster. */
    public static final class NodeNotFound extends FlotillaException {
        private final long nodeId;

        public NodeNotFound(long nodeId, String serverMessage) {
            super(withServerMessage("node " + nodeId + " is not a member of the cluster", serverMessage), null);
            this.nodeId = nodeId;
        }

        public long nodeId() {
            return nodeId;
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** The request was well formed but the cluster's state forbids it now; nothing changed. */
    public static final class FailedPrecondition extends FlotillaException {
        public FailedPrecondition(String message) {
            super(message, null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** The server refused for lack of resources (too large, too many); retrying soon will not help. */
    public static final class ResourceExhausted extends FlotillaException {
        public ResourceExhausted(String message) {
            super("resource exhausted: " + message, null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** No node could be reached; the last address tried is named. */
    public static final class NodeUnavailable extends FlotillaException {
        private final String address;

        public NodeUnavailable(String address, Throwable cause) {
            super("node " + address + " is unavailable"
                    + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
            this.address = address;
        }

        public String address() {
            return address;
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The request deadline passed; the cause is the last failure seen, if any. */
    public static final class DeadlineExceeded extends FlotillaException {
        private final Duration timeout;
        private final int attempts;

        public DeadlineExceeded(Duration timeout, int attempts, Throwable lastFailure) {
            super("deadline of " + timeout.toMillis() + " ms exceeded after " + attempts
                    + (attempts == 1 ? " attempt" : " attempts")
                    + (lastFailure == null ? "" : "; last failure: " + lastFailure.getMessage()), lastFailure);
            this.timeout = timeout;
            this.attempts = attempts;
        }

        public Duration timeout() {
            return timeout;
        }

        public int attempts() {
            return attempts;
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /**
     * A failure the client has no retry rule for: an unexpected gRPC status, a response that
     * breaks the protocol, or a call made on a closed client.
     */
    public static final class RpcFailed extends FlotillaException {
        public RpcFailed(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }
}
