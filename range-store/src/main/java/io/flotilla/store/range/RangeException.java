package io.flotilla.store.range;

import java.util.List;

/**
 * Why a request to a range failed, with what the client needs to retry correctly. The set is
 * closed, so a client can handle each kind: follow a leader hint, refresh its routing from the
 * descriptors given, back off, or report a bad request. A failed request changed nothing.
 */
public abstract sealed class RangeException extends RuntimeException {
    RangeException(String message) {
        super(message, null, false, false);
    }

    /** This replica does not lead the range; {@code leaderNode} is the leader's node if known (else 0). */
    public static final class NotLeader extends RangeException {
        private final long rangeId;
        private final long leaderNode;

        public NotLeader(long rangeId, long leaderNode) {
            super("node does not lead range " + rangeId + (leaderNode == 0 ? "; leader unknown" : "; try node " + leaderNode));
            this.rangeId = rangeId;
            this.leaderNode = leaderNode;
        }

        public long rangeId() {
            return rangeId;
        }

        public long leaderNode() {
            return leaderNode;
        }
    }

    /** No such range on this node. */
    public static final class RangeNotFound extends RangeException {
        private final long rangeId;

        public RangeNotFound(long rangeId) {
            super("range " + rangeId + " is not on this node");
            this.rangeId = rangeId;
        }

        public long rangeId() {
            return rangeId;
        }
    }

    /** The request named an older epoch: here are the current descriptors to route by. */
    public static final class EpochNotMatch extends RangeException {
        private final List<RangeDescriptor> current;

        public EpochNotMatch(String detail, List<RangeDescriptor> current) {
            super("epoch does not match: " + detail + "; current " + current);
            this.current = List.copyOf(current);
        }

        public List<RangeDescriptor> current() {
            return current;
        }
    }

    /** The key is outside the range; {@code descriptor} is the range as it is now. */
    public static final class KeyNotInRange extends RangeException {
        private final byte[] key;
        private final RangeDescriptor descriptor;

        public KeyNotInRange(byte[] key, RangeDescriptor descriptor) {
            super("key " + RangeDescriptor.printable(key) + " is not in " + descriptor);
            this.key = key == null ? new byte[0] : key.clone();
            this.descriptor = descriptor;
        }

        public byte[] key() {
            return key.clone();
        }

        public RangeDescriptor descriptor() {
            return descriptor;
        }
    }

    /** Raft did not accept the proposal (no leader, transfer, overload); retry. */
    public static final class ProposalDropped extends RangeException {
        public ProposalDropped(String why) {
            super("proposal dropped: " + why);
        }
    }

    public static final class Timeout extends RangeException {
        public Timeout(String what) {
            super("timed out: " + what);
        }
    }

    /** The request is malformed: retrying it unchanged cannot succeed. */
    public static final class InvalidArgument extends RangeException {
        public InvalidArgument(String why) {
            super("invalid argument: " + why);
        }
    }

    /** A limit was exceeded (sizes, queue depth). */
    public static final class ResourceExhausted extends RangeException {
        public ResourceExhausted(String why) {
            super("resource exhausted: " + why);
        }
    }

    /** The node named is not a member of the cluster. */
    public static final class NodeNotFound extends RangeException {
        private final long nodeId;

        public NodeNotFound(long nodeId) {
            super("node " + nodeId + " is not a member of the cluster");
            this.nodeId = nodeId;
        }

        public long nodeId() {
            return nodeId;
        }
    }

    /** Well formed, but the cluster's state forbids it now; nothing changed. */
    public static final class FailedPrecondition extends RangeException {
        public FailedPrecondition(String why) {
            super("refused: " + why);
        }
    }
}
