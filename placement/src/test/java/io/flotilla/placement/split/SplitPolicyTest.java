package io.flotilla.placement.split;

import io.flotilla.placement.ViewFixture;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.RangeStats;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.policy.PolicyResult;
import io.flotilla.placement.policy.Skip;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static io.flotilla.placement.ViewFixture.key;
import static org.assertj.core.api.Assertions.assertThat;

class SplitPolicyTest {

    private static final long MIB = SplitConfig.MIB;
    private final SplitPolicy policy = new SplitPolicy(new SplitConfig(64 * MIB, 1_000, 60_000));

    private static RangeStats stats(long bytes, double reads, double writes, long window, Long sizeMid, Long loadMid) {
        return new RangeStats(bytes, reads, writes, window, Optional.ofNullable(sizeMid).map(ViewFixture::key),
                Optional.ofNullable(loadMid).map(ViewFixture::key));
    }

    private static ViewFixture threeNodesWithRange1() {
        return ViewFixture.at(0).nodes(1, 2, 3).range(1, 1, 1, 2, 3);
    }

    private static Operation.SplitRange onlySplit(PolicyResult result) {
        assertThat(result.plans()).hasSize(1);
        return (Operation.SplitRange) result.plans().get(0).steps().get(0);
    }

    @Test
    void aRangeAtTheSizeLimitSplitsAtItsSizeMidpoint() {
        ClusterView view = threeNodesWithRange1().stats(1, stats(64 * MIB, 0, 0, 0, 1500L, 1200L)).view();
        PolicyResult result = policy.propose(view, ViewFixture.unlimited(view));
        assertThat(onlySplit(result).key()).isEqualTo(key(1500));
        assertThat(result.plans().get(0).nodes()).as("counted against the leader's node").isEqualTo(Set.of(1L));
    }

    @Test
    void aRangeBelowTheLimitsIsLeftAlone() {
        ClusterView view = threeNodesWithRange1().stats(1, stats(64 * MIB - 1, 400, 599, 60_000, 1500L, 1200L)).view();
        PolicyResult result = policy.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).isEmpty();
        assertThat(result.skips()).isEmpty();
    }

    @Test
    void aBusyRangeSplitsAtItsLoadMidpointWhenReadsPlusWritesPassTheThreshold() {
        ClusterView view = threeNodesWithRange1().stats(1, stats(MIB, 400, 600, 60_000, 1500L, 1200L)).view();
        assertThat(onlySplit(policy.propose(view, ViewFixture.unlimited(view))).key()).isEqualTo(key(1200));
    }

    @Test
    void loadMeasuredOverTooShortAWindowIsNotTrusted() {
        ClusterView view = threeNodesWithRange1().stats(1, stats(MIB, 5_000, 5_000, 59_999, 1500L, 1200L)).view();
        assertThat(policy.propose(view, ViewFixture.unlimited(view)).plans()).isEmpty();
    }

    @Test
    void sizeWinsWhenBothApply() {
        ClusterView view = threeNodesWithRange1().stats(1, stats(100 * MIB, 5_000, 0, 60_000, 1500L, 1200L)).view();
        assertThat(onlySplit(policy.propose(view, ViewFixture.unlimited(view))).key()).isEqualTo(key(1500));
    }

    @Test
    void withoutASampledMidpointTheRangeIsSkippedWithTheReason() {
        ClusterView view = threeNodesWithRange1().stats(1, stats(100 * MIB, 0, 0, 0, null, 1200L)).view();
        PolicyResult result = policy.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).isEmpty();
        assertThat(result.skips()).extracting(Skip::reason).singleElement().asString().contains("no midpoint key was sampled");
    }

    @Test
    void aMidpointOutsideTheRangeIsSkippedNotUsed() {
        ClusterView view = threeNodesWithRange1().stats(1, stats(100 * MIB, 0, 0, 0, 1000L, null)).view();
        PolicyResult result = policy.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).isEmpty();
        assertThat(result.skips()).extracting(Skip::reason).singleElement().asString().contains("is not inside the range");
    }

    @Test
    void aRangeWithoutALeaderIsSkipped() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3).range(1, 0, 1, 2, 3)
                .stats(1, stats(100 * MIB, 0, 0, 0, 1500L, null)).view();
        assertThat(policy.propose(view, ViewFixture.unlimited(view)).skips()).extracting(Skip::reason)
                .singleElement().asString().contains("no leader");
    }

    @Test
    void proposalsStopWhenTheSlotsRunOut() {
        ViewFixture f = ViewFixture.at(0).nodes(1, 2, 3);
        for (long r = 1; r <= 5; r++) {
            f.range(r, 1, 1, 2, 3).stats(r, stats(100 * MIB, 0, 0, 0, r * 1000 + 500, null));
        }
        ClusterView view = f.view();
        assertThat(policy.propose(view, ViewFixture.limited(view, 2, 10)).plans()).hasSize(2);
    }
}
