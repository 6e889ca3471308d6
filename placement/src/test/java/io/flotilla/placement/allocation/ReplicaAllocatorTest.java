package io.flotilla.placement.allocation;

import io.flotilla.placement.ViewFixture;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.LoadLedger;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicaAllocatorTest {

    private final ReplicaAllocator allocator = ReplicaAllocator.defaults();

    private static LoadLedger ledger(ClusterView view) {
        return LoadLedger.of(view, List.of());
    }

    @Test
    void neverChoosesANodeThatAlreadyHoldsAReplicaEvenALearner() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3, 4).range(1, 1, 1, 2, 3).learner(1, 4).view();
        RangeInfo range = view.range(1).orElseThrow();
        assertThat(allocator.chooseTarget(view, range, OptionalLong.empty(), ledger(view))).isEmpty();
        assertThat(allocator.chooseTarget(view, range, OptionalLong.of(3), ledger(view)))
                .as("not even the node being replaced").isEmpty();
    }

    @Test
    void choosesOnlyUpNodes() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3).node(4, NodeState.SUSPECT).node(5, NodeState.DECOMMISSIONING)
                .deadNode(6, 0).node(7, NodeState.REMOVED).node(8, NodeState.UP).range(1, 1, 1, 2, 3).view();
        assertThat(allocator.chooseTarget(view, view.range(1).orElseThrow(), OptionalLong.empty(), ledger(view))).contains(8L);
    }

    @Test
    void prefersTheNodeWithFewestReplicasThenFewestBytesThenLowestId() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3, 4, 5, 6)
                .range(1, 1, 1, 2, 3)
                .range(2, 4, 4, 5, 6).range(3, 5, 5, 1, 2)
                .usedBytes(4, 500).usedBytes(6, 100).view();
        // For range 1: n4 holds 1 (500 B), n5 holds 2, n6 holds 1 (100 B).
        assertThat(allocator.chooseTarget(view, view.range(1).orElseThrow(), OptionalLong.empty(), ledger(view))).contains(6L);
    }

    @Test
    void countsPlannedChangesInTheLedger() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3, 4, 5).range(1, 1, 1, 2, 3).view();
        LoadLedger ledger = ledger(view);
        assertThat(allocator.chooseTarget(view, view.range(1).orElseThrow(), OptionalLong.empty(), ledger)).contains(4L);
        ledger.apply(OperatorPlan.addVoter(OperatorKind.REPAIR, 99, 4, ""));
        assertThat(allocator.chooseTarget(view, view.range(1).orElseThrow(), OptionalLong.empty(), ledger)).contains(5L);
    }

    @Test
    void spreadsReplicasOverZonesBeforeLookingAtLoad() {
        // n4 (zone a) is empty; n5 (zone c) is busier, but zone c holds none of the range's replicas.
        ClusterView view = ViewFixture.at(0).node(1, "a").node(2, "b").node(3, "b").node(4, "a").node(5, "c").node(6, "b")
                .range(1, 1, 1, 2).range(2, 5, 5, 6).range(3, 5, 5, 6).view();
        RangeInfo range = view.range(1).orElseThrow();
        assertThat(allocator.chooseTarget(view, range, OptionalLong.empty(), ledger(view))).contains(5L);
        // Replacing n2 (zone b) on a range in a and b: c is still the empty zone for this range.
        ClusterView three = ViewFixture.at(0).node(1, "a").node(2, "b").node(3, "c").node(4, "b").node(5, "a")
                .range(1, 1, 1, 2, 3).view();
        assertThat(allocator.chooseTarget(three, three.range(1).orElseThrow(), OptionalLong.of(2), ledger(three)))
                .as("the replacement goes to the zone left empty").contains(4L);
    }

    @Test
    void aMoveForBalanceNeverNarrowsTheZoneSpread() {
        ClusterView view = ViewFixture.at(0).node(1, "a").node(2, "b").node(3, "c").node(4, "a")
                .range(1, 1, 1, 2, 3).view();
        RangeInfo range = view.range(1).orElseThrow();
        assertThat(allocator.chooseMoveTarget(view, range, 2, ledger(view), 10)).as("n4 would double zone a").isEmpty();
        assertThat(allocator.chooseMoveTarget(view, range, 1, ledger(view), 10)).contains(4L);
        assertThat(allocator.chooseMoveTarget(view, range, 1, ledger(view), 0)).as("n4 holds 0 <= 0").contains(4L);
    }

    @Test
    void skipsNodesAboveTheFullnessLimit() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3, 4, 5).range(1, 1, 1, 2, 3)
                .usedBytes(4, (long) (ViewFixture.TIB * 0.96)).view();
        assertThat(allocator.chooseTarget(view, view.range(1).orElseThrow(), OptionalLong.empty(), ledger(view))).contains(5L);
        assertThatThrownBy(() -> new ReplicaAllocator(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void choosesDistinctNodesSpreadOverZonesForANewRange() {
        ClusterView view = ViewFixture.at(0).node(1, "a").node(2, "a").node(3, "b").node(4, "b").node(5, "c")
                .range(1, 5, 5, 3).view();
        assertThat(allocator.chooseNodes(view, 3, ledger(view))).containsExactly(1L, 4L, 5L);
        assertThat(allocator.chooseNodes(view, 9, ledger(view))).as("no node twice").hasSize(5).doesNotHaveDuplicates();
    }
}
