package io.flotilla.placement.operator;

import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.operation.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Range actions whose futures the test completes by hand; records every call in order. */
class ScriptedActions implements RangeActions {

    record Call(Operation step, CompletableFuture<Void> future) {
    }

    final List<Call> calls = new ArrayList<>();

    private CompletableFuture<Void> record(Operation step) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        calls.add(new Call(step, f));
        return f;
    }

    Call last() {
        return calls.get(calls.size() - 1);
    }

    List<Operation> steps() {
        return calls.stream().map(Call::step).toList();
    }

    @Override
    public CompletableFuture<Void> split(long rangeId, Key splitKey) {
        return record(new Operation.SplitRange(rangeId, splitKey, ""));
    }

    @Override
    public CompletableFuture<Void> addLearner(long rangeId, long nodeId) {
        return record(new Operation.AddLearner(rangeId, nodeId));
    }

    @Override
    public CompletableFuture<Void> promoteLearner(long rangeId, long nodeId) {
        return record(new Operation.PromoteLearner(rangeId, nodeId));
    }

    @Override
    public CompletableFuture<Void> removeReplica(long rangeId, long nodeId) {
        return record(new Operation.RemoveReplica(rangeId, nodeId));
    }

    @Override
    public CompletableFuture<Void> transferLeader(long rangeId, long fromNodeId, long toNodeId) {
        return record(new Operation.TransferLeader(rangeId, fromNodeId, toNodeId));
    }
}
