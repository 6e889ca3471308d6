package io.flotilla.placement.operator;

import io.flotilla.placement.cluster.Key;

import java.util.concurrent.CompletableFuture;

/**
 * How operators change ranges: the node implements these by proposing to the range's Raft
 * group; tests implement them against a model. Each future completes when the change has been
 * applied, or exceptionally with why it was refused. Calls may complete on any thread.
 */
public interface RangeActions {

    CompletableFuture<Void> split(long rangeId, Key splitKey);

    CompletableFuture<Void> addLearner(long rangeId, long nodeId);

    /** Completes once the learner has caught up with the leader's log and votes. */
    CompletableFuture<Void> promoteLearner(long rangeId, long nodeId);

    CompletableFuture<Void> removeReplica(long rangeId, long nodeId);

    CompletableFuture<Void> transferLeader(long rangeId, long fromNodeId, long toNodeId);
}
