package io.flotilla.placement.balance;

import io.flotilla.placement.ViewFixture;
import io.flotilla.placement.allocation.ReplicaAllocator;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.LoadLedger;
import io.flotilla.placement.policy.PlanningContext;
import io.flotilla.placement.policy.PolicyResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaBalancerTest {

    private final ReplicaBalancer balancer = new ReplicaBalancer(ReplicaAllocator.defaults(), BalanceTolerance.defaults(), 3);

    /** Three nodes holding {@code ranges} three-replica ranges, leaders round-robin, plus empty node 4. */
    private static ViewFixture threeFullOneEmpty(int ranges) {
        ViewFixture f = ViewFixture.at(0).nodes(1, 2, 3, 4);
        for (long r = 1; r <= ranges; r++) {
            f.range(r, 1 + (r % 3), 1, 2, 3);
        }
        return f;
    }

    @Test
    void eachMoveIsAddLearnerPromoteThenRemoveOntoTheEmptyNode() {
        ClusterView view = threeFullOneEmpty(12).view();
        PolicyResult result = balancer.propose(view, ViewFixture.limited(view, 1, 10));
        OperatorPlan plan = result.plans().get(0);
        assertThat(plan.steps().get(0)).isEqualTo(new Operation.AddLearner(plan.rangeId(), 4));
        assertThat(plan.steps().get(1)).isEqualTo(new Operation.PromoteLearner(plan.rangeId(), 4));
        assertThat(plan.steps().get(plan.steps().size() - 1)).isInstanceOf(Operation.RemoveReplica.class);
        assertThat(plan.steps()).as("the source did not lead, so no transfer").hasSize(3);
    }

    @Test
    void movesStopOnceEveryNodeIsWithinTolerance() {
        // 12 ranges x 3 = 36 replicas over 4 nodes: mean 9, slack 1.
        ClusterView view = threeFullOneEmpty(12).view();
        PlanningContext context = ViewFixture.unlimited(view);
        PolicyResult result = balancer.propose(view, context);
        LoadLedger after = context.ledger();
        assertThat(after.replicas(4)).isBetween(8, 10);
        for (long n = 1; n <= 3; n++) {
            assertThat(after.replicas(n)).isBetween(8, 10);
        }
        assertThat(balancer.isBalanced(view, after)).isTrue();
        assertThat(result.plans()).hasSizeBetween(8, 10);
        assertThat(result.plans()).allSatisfy(p -> assertThat(p.nodes()).contains(4L));
    }

    @Test
    void aBalancedClusterGetsNoMoves() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3, 4)
                .range(1, 1, 1, 2, 3).range(2, 2, 2, 3, 4).range(3, 3, 3, 4, 1).range(4, 4, 4, 1, 2).view();
        assertThat(balancer.propose(view, ViewFixture.unlimited(view)).plans()).isEmpty();
        assertThat(balancer.isBalanced(view, LoadLedger.of(view, List.of()))).isTrue();
    }

    @Test
    void aMoveOffTheLeaderHandsTheLeadershipToTheLeastLeadingVoter() {
        // Every range led from n1, so every move off n1 needs a transfer first.
        ViewFixture f = ViewFixture.at(0).nodes(1, 2, 3, 4);
        for (long r = 1; r <= 6; r++) {
            f.range(r, 1, 1, 2, 3);
        }
        f.range(7, 2, 2, 3, 4);
        ClusterView view = f.view();
        PolicyResult result = balancer.propose(view, ViewFixture.unlimited(view));
        OperatorPlan offLeader = result.plans().stream()
                .filter(p -> p.steps().stream().anyMatch(s -> s instanceof Operation.TransferLeader)).findFirst().orElseThrow();
        Operation.TransferLeader t = (Operation.TransferLeader) offLeader.steps().get(2);
        assertThat(t.fromNodeId()).isEqualTo(1);
        assertThat(offLeader.steps().get(3)).isEqualTo(new Operation.RemoveReplica(offLeader.rangeId(), 1));
    }

    @Test
    void unhealthyRangesAreLeftToRepair() {
        ViewFixture f = ViewFixture.at(0).nodes(1, 2, 3, 4).node(5, NodeState.SUSPECT);
        for (long r = 1; r <= 4; r++) {
            f.range(r, 1, 1, 2, 5); // a replica on a SUSPECT node
        }
        f.range(5, 1, 1, 2).range(6, 1, 1, 2, 3).learner(6, 4);
        ClusterView view = f.view();
        assertThat(balancer.propose(view, ViewFixture.unlimited(view)).plans()).isEmpty();
    }

    @Test
    void aReplicaOnItsPreferredLeaderNodeStays() {
        ViewFixture f = threeFullOneEmpty(12);
        for (long r = 1; r <= 12; r++) {
            f.prefer(r, io.flotilla.placement.cluster.LeaderPreference.onNode(1));
        }
        ClusterView view = f.view();
        PolicyResult result = balancer.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).isNotEmpty().noneSatisfy(p ->
                assertThat(p.steps()).contains(new Operation.RemoveReplica(p.rangeId(), 1)));
    }

    @Test
    void busyRangesAreNotMoved() {
        ClusterView view = threeFullOneEmpty(3).view();
        PlanningContext context = new PlanningContext(java.util.Set.of(1L, 2L, 3L), LoadLedger.of(view, List.of()),
                io.flotilla.placement.operator.SlotBudget.unlimited());
        assertThat(balancer.propose(view, context).plans()).isEmpty();
    }

    @Test
    void runningMovesCountSoTheyAreNotProposedTwice() {
        ClusterView view = threeFullOneEmpty(12).view();
        PlanningContext first = ViewFixture.unlimited(view);
        List<OperatorPlan> plans = balancer.propose(view, first).plans();
        List<Operation> pending = plans.stream().flatMap(p -> p.steps().stream()).toList();
        java.util.Set<Long> busy = new java.util.HashSet<>();
        plans.forEach(p -> busy.add(p.rangeId()));
        PlanningContext second = new PlanningContext(busy, LoadLedger.of(view, pending),
                io.flotilla.placement.operator.SlotBudget.unlimited());
        assertThat(balancer.propose(view, second).plans()).isEmpty();
    }

    @Test
    void replicasSpreadOverZonesAreNotMovedIntoACrowdedZone() {
        // n4 is empty but shares zone a with n1: moving n2's or n3's replica there would put two in zone a.
        ViewFixture f = ViewFixture.at(0).node(1, "a").node(2, "b").node(3, "c").node(4, "a");
        for (long r = 1; r <= 8; r++) {
            f.range(r, 2, 1, 2, 3);
        }
        ClusterView view = f.view();
        PolicyResult result = balancer.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).isNotEmpty().allSatisfy(p ->
                assertThat(p.steps()).contains(new Operation.RemoveReplica(p.rangeId(), 1)));
    }
}
