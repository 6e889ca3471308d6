package io.flotilla.placement.operation;

import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.RangeInfo;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a policy proposes for one range: steps to run in order, the nodes they load (which
 * per-node limits count), and why.
 */
public record OperatorPlan(long rangeId, OperatorKind kind, List<Operation> steps, Set<Long> nodes, String reason) {

    public OperatorPlan {
        if (kind == null || steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("range " + rangeId + ": a plan needs a kind and at least one step");
        }
        for (Operation step : steps) {
            if (step.rangeId() != rangeId) {
                throw new IllegalArgumentException("plan for range " + rangeId + " has a step for range " + step.rangeId());
            }
        }
        steps = List.copyOf(steps);
        Set<Long> all = new TreeSet<>(nodes == null ? Set.of() : nodes);
        for (Operation step : steps) {
            all.addAll(step.nodes());
        }
        nodes = Set.copyOf(all);
        reason = reason == null ? "" : reason;
    }

    /** A split at {@code key}, counted against the leader's node, which proposes it. */
    public static OperatorPlan split(OperatorKind kind, RangeInfo range, Key key, String reason) {
        Set<Long> nodes = range.leader().isPresent() ? Set.of(range.leaderNodeId()) : Set.of();
        return new OperatorPlan(range.rangeId(), kind, List.of(new Operation.SplitRange(range.rangeId(), key, reason)),
                nodes, reason);
    }

    public static OperatorPlan transferLeader(OperatorKind kind, long rangeId, long from, long to, String reason) {
        return new OperatorPlan(rangeId, kind, List.of(new Operation.TransferLeader(rangeId, from, to)), Set.of(), reason);
    }

    /** A new voter on {@code nodeId}: add it as a learner, let it catch up, promote it. */
    public static OperatorPlan addVoter(OperatorKind kind, long rangeId, long nodeId, String reason) {
        return new OperatorPlan(rangeId, kind, List.of(new Operation.AddLearner(rangeId, nodeId),
                new Operation.PromoteLearner(rangeId, nodeId)), Set.of(), reason);
    }

    public static OperatorPlan promote(OperatorKind kind, long rangeId, long nodeId, String reason) {
        return new OperatorPlan(rangeId, kind, List.of(new Operation.PromoteLearner(rangeId, nodeId)), Set.of(), reason);
    }

    public static OperatorPlan remove(OperatorKind kind, long rangeId, long nodeId, String reason) {
        return new OperatorPlan(rangeId, kind, List.of(new Operation.RemoveReplica(rangeId, nodeId)), Set.of(), reason);
    }

    /** A one-line account of the steps, for logs and the admin listing. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.name().toLowerCase()).append(" r").append(rangeId).append(':');
        for (Operation step : steps) {
            sb.append(' ').append(StepText.of(step));
        }
        if (!reason.isEmpty()) {
            sb.append(" (").append(reason).append(')');
        }
        return sb.toString();
    }
}
