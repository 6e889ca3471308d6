package io.flotilla.placement.operation;

import io.flotilla.placement.cluster.Key;

import java.util.Set;

/**
 * One step placement asks a range to take. Multi-step changes (a replica move) are
 * {@link OperatorPlan}s made of these, run one step at a time.
 */
public sealed interface Operation permits Operation.SplitRange, Operation.AddLearner, Operation.PromoteLearner,
        Operation.RemoveReplica, Operation.TransferLeader {

    long rangeId();

    /** The nodes whose replica set or leadership this step changes. */
    Set<Long> nodes();

    /** Split the range at {@code key}; the upper half becomes a new range on the same nodes. */
    record SplitRange(long rangeId, Key key, String reason) implements Operation {
        public SplitRange {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("range " + rangeId + ": a split needs a non-empty key");
            }
            reason = reason == null ? "" : reason;
        }

        @Override
        public Set<Long> nodes() {
            return Set.of();
        }
    }

    /** Add a non-voting replica on {@code nodeId}; it catches up before it may be promoted. */
    record AddLearner(long rangeId, long nodeId) implements Operation {
        @Override
        public Set<Long> nodes() {
            return Set.of(nodeId);
        }
    }

    /** Make the caught-up learner on {@code nodeId} a voter. */
    record PromoteLearner(long rangeId, long nodeId) implements Operation {
        @Override
        public Set<Long> nodes() {
            return Set.of(nodeId);
        }
    }

    /** Remove the replica (voter or learner) on {@code nodeId}. */
    record RemoveReplica(long rangeId, long nodeId) implements Operation {
        @Override
        public Set<Long> nodes() {
            return Set.of(nodeId);
        }
    }

    /** Hand the range's leadership from {@code fromNodeId} to the voter on {@code toNodeId}. */
    record TransferLeader(long rangeId, long fromNodeId, long toNodeId) implements Operation {
        public TransferLeader {
            if (fromNodeId == toNodeId) {
                throw new IllegalArgumentException("range " + rangeId + ": a transfer needs two different nodes, got "
                        + fromNodeId + " twice");
            }
        }

        @Override
        public Set<Long> nodes() {
            return Set.of(fromNodeId, toNodeId);
        }
    }
}
