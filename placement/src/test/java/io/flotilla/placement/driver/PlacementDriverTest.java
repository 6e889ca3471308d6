package io.flotilla.placement.driver;

import io.flotilla.placement.ViewFixture;
import io.flotilla.placement.balance.LeaderPlan;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.RangeStats;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operator.OperatorController;
import io.flotilla.placement.operator.OperatorLimits;
import io.flotilla.placement.operator.RangeActions;
import io.flotilla.placement.operator.SubmitResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementDriverTest {

    /** Actions that never complete: the test looks only at what was started. */
    private static final class NeverDone implements RangeActions {
        @Override
        public CompletableFuture<Void> split(long rangeId, Key splitKey) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> addLearner(long rangeId, long nodeId) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> promoteLearner(long rangeId, long nodeId) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> removeReplica(long rangeId, long nodeId) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> transferLeader(long rangeId, long fromNodeId, long toNodeId) {
            return new CompletableFuture<>();
        }
    }

    private final List<Long> removed = new ArrayList<>();
    private final NodeRegistry registry = nodeId -> {
        removed.add(nodeId);
        return CompletableFuture.completedFuture(null);
    };

    private PlacementDriver driver(OperatorLimits limits) {
        PlacementConfig config = PlacementConfig.defaults().withReplaceAfter(0);
        return new PlacementDriver(config, new OperatorController(new NeverDone(), limits), registry);
    }

    @Test
    void repairComesFirstAndTakesTheRangeFromTheOtherPolicies() {
        // Range 1 is both too big and short of a replica (n3 dead); ranges 2-4 make leaders uneven.
        ClusterView view = ViewFixture.at(10_000).nodes(1, 2, 4).deadNode(3, 0)
                .range(1, 1, 1, 2, 3).range(2, 1, 1, 2, 4).range(3, 1, 1, 2, 4).range(4, 1, 1, 2, 4)
                .stats(1, new RangeStats(1L << 30, 0, 0, 0, Optional.of(ViewFixture.key(1500)), Optional.empty())).view();
        TickReport report = driver(OperatorLimits.defaults()).tick(view, 10_000);
        List<OperatorKind> kinds = report.started().stream().map(OperatorPlan::kind).toList();
        assertThat(kinds.get(0)).isEqualTo(OperatorKind.REPAIR);
        assertThat(report.started().get(0).rangeId()).isEqualTo(1);
        assertThat(report.started()).filteredOn(p -> p.rangeId() == 1).hasSize(1);
        assertThat(kinds).contains(OperatorKind.LEADER_BALANCE).doesNotContain(OperatorKind.SPLIT);
    }

    @Test
    void theOneFreeSlotGoesToTheMostUrgentPolicy() {
        ClusterView view = ViewFixture.at(10_000).nodes(1, 2, 4).deadNode(3, 0).node(5, NodeState.DECOMMISSIONING)
                .range(1, 1, 1, 2, 5).range(2, 1, 1, 2, 3).view();
        TickReport report = driver(OperatorLimits.defaults().withConcurrency(4, 1)).tick(view, 10_000);
        assertThat(report.started()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(OperatorKind.REPAIR);
            assertThat(p.rangeId()).isEqualTo(2);
        });
    }

    @Test
    void aPausedDriverStartsNothingAndAResumedOneCarriesOn() {
        ClusterView view = ViewFixture.at(10_000).nodes(1, 2, 4).deadNode(3, 0).range(1, 1, 1, 2, 3).view();
        PlacementDriver driver = driver(OperatorLimits.defaults());
        driver.controller().pause();
        TickReport paused = driver.tick(view, 10_000);
        assertThat(paused.paused()).isTrue();
        assertThat(paused.submissions()).isEmpty();
        driver.controller().resume();
        assertThat(driver.tick(view, 11_000).started()).hasSize(1);
    }

    @Test
    void aManualOperatorOnARangeIsNotFought() {
        ClusterView view = ViewFixture.at(10_000).nodes(1, 2, 4).deadNode(3, 0).range(1, 1, 1, 2, 3).view();
        PlacementDriver driver = driver(OperatorLimits.defaults());
        SubmitResult manual = driver.controller().submit(
                OperatorPlan.transferLeader(OperatorKind.MANUAL, 1, 1, 2, "admin transfer-leader"), 10_000);
        assertThat(manual.accepted()).isTrue();
        TickReport report = driver.tick(view, 10_000);
        assertThat(report.submissions()).isEmpty();
    }

    @Test
    void aScheduledMoveOntoANodeThatStartsDrainingIsCancelledButAManualOneIsNot() {
        ClusterView before = ViewFixture.at(0).nodes(1, 2, 3, 4, 5).range(1, 1, 1, 2, 3).range(2, 1, 1, 2, 3).view();
        PlacementDriver driver = driver(OperatorLimits.defaults());
        long scheduled = ((SubmitResult.Accepted) driver.controller().submit(io.flotilla.placement.operation.MoveReplica.plan(
                OperatorKind.REPLICA_BALANCE, 1, 1, 4, java.util.OptionalLong.empty(), ""), 0)).operatorId();
        long manual = ((SubmitResult.Accepted) driver.controller().submit(io.flotilla.placement.operation.MoveReplica.plan(
                OperatorKind.MANUAL, 2, 1, 4, java.util.OptionalLong.empty(), ""), 0)).operatorId();
        driver.tick(before, 0);
        ClusterView draining = ViewFixture.at(1_000).nodes(1, 2, 3, 5).node(4, NodeState.DECOMMISSIONING)
                .range(1, 1, 1, 2, 3).range(2, 1, 1, 2, 3).view();
        TickReport report = driver.tick(draining, 1_000);
        assertThat(report.cancelledOperators()).containsExactly(scheduled);
        assertThat(driver.controller().operator(manual).orElseThrow().state())
                .isEqualTo(io.flotilla.placement.operator.OperatorState.RUNNING);
    }

    @Test
    void aDrainedDecommissioningNodeIsMarkedRemovedOnce() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3).node(4, NodeState.DECOMMISSIONING).range(1, 1, 1, 2, 3).view();
        PlacementDriver driver = driver(OperatorLimits.defaults());
        assertThat(driver.tick(view, 0).nodesMarkedRemoved()).containsExactly(4L);
        assertThat(driver.tick(view, 1_000).nodesMarkedRemoved()).as("asked already; the view lags").isEmpty();
        assertThat(removed).containsExactly(4L);
    }

    @Test
    void theLeaderDryRunShowsTheWholePlanAndStartsNothing() {
        ViewFixture f = ViewFixture.at(0).nodes(1, 2, 3);
        for (long r = 1; r <= 30; r++) {
            f.range(r, 1, 1, 2, 3);
        }
        PlacementDriver driver = driver(OperatorLimits.defaults().withConcurrency(1, 1));
        LeaderPlan plan = driver.planLeaderRebalance(f.view());
        assertThat(plan.transfers()).as("limits aside").hasSizeGreaterThanOrEqualTo(19);
        assertThat(driver.controller().runningCount()).isZero();
        assertThat(driver.planReplicaRebalance(f.view()).plans()).isEmpty();
    }
}
