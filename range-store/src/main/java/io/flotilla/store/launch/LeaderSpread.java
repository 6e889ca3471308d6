package io.flotilla.store.launch;

import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.admin.RangeStatusInfo;
import io.flotilla.client.error.FlotillaException;

import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Spreads range leaders round-robin over each range's replicas, so a workload on a fresh local
 * cluster (the demo's, the load tool's) reaches every node rather than the one that bootstrapped
 * and split everything.
 */
public final class LeaderSpread {
    private LeaderSpread() {
    }

    /**
     * Moves leaders so that range i (by id) is led by its replica i mod replicas; returns how many
     * moved. A transfer that fails leaves the old leader (the workload still runs, a little less
     * spread) and is told to {@code warn}.
     */
    public static int roundRobin(AdminClient admin, Consumer<String> warn) {
        List<RangeStatusInfo> all = admin.listRanges().stream()
                .sorted(Comparator.comparingLong(r -> r.range().rangeId())).toList();
        int moved = 0;
        for (int i = 0; i < all.size(); i++) {
            RangeStatusInfo r = all.get(i);
            long target = r.range().replicas().get(i % r.range().replicas().size()).nodeId();
            if (r.leaderNodeId() != target) {
                try {
                    admin.transferLeader(r.range().rangeId(), target);
                    moved++;
                } catch (FlotillaException e) {
                    warn.accept("transfer of range " + r.range().rangeId() + " to n" + target + ": " + e.getMessage());
                }
            }
        }
        return moved;
    }
}
