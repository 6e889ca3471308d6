package io.flotilla.placement.driver;

import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operator.SubmitResult;
import io.flotilla.placement.policy.Skip;

import java.util.List;

/**
 * What one driver tick did: plans handed to the controller and its answers, skips, nodes
 * marked removed, and operators cancelled because their target stopped taking work.
 */
public record TickReport(long nowMillis, boolean paused, List<Submission> submissions, List<Skip> skips,
                         List<Long> nodesMarkedRemoved, List<Long> cancelledOperators) {

    public TickReport {
        submissions = List.copyOf(submissions);
        skips = List.copyOf(skips);
        nodesMarkedRemoved = List.copyOf(nodesMarkedRemoved);
        cancelledOperators = List.copyOf(cancelledOperators);
    }

    /** Plans the controller started this tick. */
    public List<OperatorPlan> started() {
        return submissions.stream().filter(s -> s.result().accepted()).map(Submission::plan).toList();
    }

    public record Submission(OperatorPlan plan, SubmitResult result) {
    }
}
