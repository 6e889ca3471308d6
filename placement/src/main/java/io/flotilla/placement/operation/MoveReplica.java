package io.flotilla.placement.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Moving a replica is several membership changes, ordered so that the range never has fewer
 * voters than it started with: add a learner on the target, let it catch up, promote it, hand
 * the leadership away if the source leads, and only then remove the source.
 */
public final class MoveReplica {

    private MoveReplica() {
    }

    /**
     * @param leaderTarget where the leadership goes first when {@code from} leads the range;
     *                     empty when it does not
     */
    public static OperatorPlan plan(OperatorKind kind, long rangeId, long from, long to, OptionalLong leaderTarget,
                                    String reason) {
        if (from == to) {
            throw new IllegalArgumentException("range " + rangeId + ": a move needs two different nodes, got " + from + " twice");
        }
        List<Operation> steps = new ArrayList<>();
        steps.add(new Operation.AddLearner(rangeId, to));
        steps.add(new Operation.PromoteLearner(rangeId, to));
        if (leaderTarget.isPresent()) {
            steps.add(new Operation.TransferLeader(rangeId, from, leaderTarget.getAsLong()));
        }
        steps.add(new Operation.RemoveReplica(rangeId, from));
        return new OperatorPlan(rangeId, kind, steps, Set.of(from, to), reason);
    }
}
