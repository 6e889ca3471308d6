package io.flotilla.placement.split;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.cluster.RangeStats;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.PlacementPolicy;
import io.flotilla.placement.policy.PlanningContext;
import io.flotilla.placement.policy.PolicyResult;

import java.util.Optional;

/**
 * Splits ranges that grew too big (at the sampled size midpoint) or too busy (at the sampled
 * load midpoint, when reads+writes per second over a long enough window pass the threshold).
 * Size wins when both apply. A range without a sampled midpoint, or whose midpoint is not
 * strictly inside it, is skipped with the reason rather than split at a guess.
 */
public final class SplitPolicy implements PlacementPolicy {

    private final SplitConfig config;

    public SplitPolicy(SplitConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "split";
    }

    @Override
    public PolicyResult propose(ClusterView view, PlanningContext context) {
        PolicyResult.Builder result = new PolicyResult.Builder(name());
        for (RangeInfo range : view.ranges()) {
            if (!context.hasSlots()) {
                break;
            }
            if (context.isBusy(range.rangeId())) {
                continue;
            }
            RangeStats stats = range.stats();
            Optional<Key> key;
            String reason;
            if (stats.approximateBytes() >= config.maxRangeBytes()) {
                key = stats.sizeMidpoint();
                reason = "size " + stats.approximateBytes() + " B >= " + config.maxRangeBytes() + " B";
            } else if (stats.requestsPerSecond() >= config.loadThreshold()
                    && stats.windowMillis() >= config.minLoadWindowMillis()) {
                key = stats.loadMidpoint();
                reason = String.format("load %.0f/s >= %.0f/s over %d ms", stats.requestsPerSecond(),
                        config.loadThreshold(), stats.windowMillis());
            } else {
                continue;
            }
            if (range.leader().isEmpty()) {
                result.skip(range.rangeId(), reason + ", but no leader is known to split it");
            } else if (key.isEmpty()) {
                result.skip(range.rangeId(), reason + ", but no midpoint key was sampled");
            } else if (!range.isInterior(key.get())) {
                result.skip(range.rangeId(), reason + ", but midpoint " + key.get() + " is not inside the range");
            } else {
                OperatorPlan plan = OperatorPlan.split(OperatorKind.SPLIT, range, key.get(), reason);
                if (context.tryReserve(plan)) {
                    result.plan(plan);
                }
            }
        }
        return result.build();
    }
}
