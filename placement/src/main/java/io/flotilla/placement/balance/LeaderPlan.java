package io.flotilla.placement.balance;

import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.PolicyResult;
import io.flotilla.placement.policy.Skip;

import java.util.ArrayList;
import java.util.List;

/**
 * Every leader transfer a rebalance would make, in order, with what it would skip: what
 * {@code admin rebalance-leaders --dry-run} prints, and what a real run hands the controller.
 */
public record LeaderPlan(List<LeaderTransfer> transfers, List<Skip> skips) {

    public LeaderPlan {
        transfers = List.copyOf(transfers);
        skips = List.copyOf(skips);
    }

    static LeaderPlan of(PolicyResult result) {
        List<LeaderTransfer> transfers = new ArrayList<>();
        for (OperatorPlan plan : result.plans()) {
            Operation.TransferLeader t = (Operation.TransferLeader) plan.steps().get(0);
            transfers.add(new LeaderTransfer(t.rangeId(), t.fromNodeId(), t.toNodeId(), plan.reason()));
        }
        return new LeaderPlan(transfers, result.skips());
    }

    /** The plan as text, a transfer per line. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(transfers.size()).append(transfers.size() == 1 ? " leader transfer" : " leader transfers").append('\n');
        for (LeaderTransfer t : transfers) {
            sb.append("  ").append(t).append('\n');
        }
        for (Skip s : skips) {
            sb.append("  skipped range ").append(s.subjectId()).append(": ").append(s.reason()).append('\n');
        }
        return sb.toString();
    }
}
