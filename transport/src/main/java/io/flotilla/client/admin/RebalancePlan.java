package io.flotilla.client.admin;

import io.flotilla.transport.proto.RebalanceResponse;
import java.util.List;

/**
 * What a rebalance found to do, and how many of those moves it started now; the rest start as
 * the operator limits allow (none on a dry run).
 *
 * @param driverNodeId the node running the placement driver, which made the plan
 */
public record RebalancePlan(List<PlannedMove> moves, int started, long driverNodeId) {
    public RebalancePlan {
        moves = List.copyOf(moves);
    }

    static RebalancePlan from(RebalanceResponse r) {
        return new RebalancePlan(r.getMovesList().stream().map(PlannedMove::from).toList(), r.getStarted(),
                r.getDriverNodeId());
    }
}
