package io.flotilla.placement.policy;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorPlan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replica, leader and byte counts per node as they will be once the steps already planned
 * have run: the view's counts, plus the unfinished steps of running operators, plus what
 * this tick has proposed so far. Balancing against it stops two proposals (or two ticks)
 * from sending the same surplus to the same node.
 */
public final class LoadLedger {

    private final ClusterView view;
    private final Map<Long, Integer> replicas = new HashMap<>();
    private final Map<Long, Integer> leaders = new HashMap<>();
    private final Map<Long, Long> bytes = new HashMap<>();

    private LoadLedger(ClusterView view) {
        this.view = view;
        for (NodeInfo node : view.nodes()) {
            replicas.put(node.nodeId(), view.replicaCount(node.nodeId()));
            leaders.put(node.nodeId(), view.leaderCount(node.nodeId()));
            bytes.put(node.nodeId(), node.usedBytes());
        }
    }

    /** The view's counts with {@code pendingSteps} (from running operators) applied. */
    public static LoadLedger of(ClusterView view, List<Operation> pendingSteps) {
        LoadLedger ledger = new LoadLedger(view);
        for (Operation step : pendingSteps) {
            ledger.apply(step);
        }
        return ledger;
    }

    public int replicas(long nodeId) {
        return replicas.getOrDefault(nodeId, 0);
    }

    public int leaders(long nodeId) {
        return leaders.getOrDefault(nodeId, 0);
    }

    public long bytes(long nodeId) {
        return bytes.getOrDefault(nodeId, 0L);
    }

    public void apply(OperatorPlan plan) {
        for (Operation step : plan.steps()) {
            apply(step);
        }
    }

    // Promotion changes neither count: the learner was counted when it was added.
    void apply(Operation step) {
        long rangeBytes = view.range(step.rangeId()).map(r -> r.stats().approximateBytes()).orElse(0L);
        if (step instanceof Operation.AddLearner a) {
            replicas.merge(a.nodeId(), 1, Integer::sum);
            bytes.merge(a.nodeId(), rangeBytes, Long::sum);
        } else if (step instanceof Operation.RemoveReplica r) {
            replicas.merge(r.nodeId(), -1, Integer::sum);
            bytes.merge(r.nodeId(), -rangeBytes, Long::sum);
        } else if (step instanceof Operation.TransferLeader t) {
            leaders.merge(t.fromNodeId(), -1, Integer::sum);
            leaders.merge(t.toNodeId(), 1, Integer::sum);
        } else if (step instanceof Operation.SplitRange) {
            // The new half lives on the same nodes and starts with the same leader.
            RangeInfo range = view.range(step.rangeId()).orElse(null);
            if (range != null) {
                for (var replica : range.replicas()) {
                    replicas.merge(replica.nodeId(), 1, Integer::sum);
                }
                range.leader().ifPresent(n -> leaders.merge(n, 1, Integer::sum));
            }
        }
    }
}
