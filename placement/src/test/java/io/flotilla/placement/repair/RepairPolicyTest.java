package io.flotilla.placement.repair;

import io.flotilla.placement.ViewFixture;
import io.flotilla.placement.allocation.ReplicaAllocator;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.Operation.AddLearner;
import io.flotilla.placement.operation.Operation.PromoteLearner;
import io.flotilla.placement.operation.Operation.RemoveReplica;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.PolicyResult;
import io.flotilla.placement.policy.Skip;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepairPolicyTest {

    private static final long NOW = 1_000_000;
    private final RepairPolicy policy = new RepairPolicy(ReplicaAllocator.defaults(), 3, 300_000);

    private PolicyResult propose(ClusterView view) {
        return policy.propose(view, ViewFixture.unlimited(view));
    }

    @Test
    void aReplicaOnANodeDeadPastTheDelayIsReplacedNewVoterFirst() {
        ClusterView view = ViewFixture.at(NOW).nodes(1, 2, 4).deadNode(3, NOW - 300_000).range(1, 1, 1, 2, 3).view();
        PolicyResult result = propose(view);
        assertThat(result.plans()).singleElement().satisfies(p -> assertThat(p.steps())
                .containsExactly(new AddLearner(1, 4), new PromoteLearner(1, 4), new RemoveReplica(1, 3)));
    }

    @Test
    void aNodeDeadForLessThanTheDelayIsWaitedFor() {
        ClusterView view = ViewFixture.at(NOW).nodes(1, 2, 4).deadNode(3, NOW - 299_999).range(1, 1, 1, 2, 3).view();
        assertThat(propose(view).plans()).isEmpty();
        assertThat(policy.isLost(view, 3)).isFalse();
    }

    @Test
    void rangesWithTheFewestLiveVotersAreRepairedFirst() {
        // Five-replica ranges: range 1 lost one voter, range 2 lost two.
        RepairPolicy five = new RepairPolicy(ReplicaAllocator.defaults(), 5, 0);
        ClusterView view = ViewFixture.at(NOW).nodes(1, 2, 3, 6, 7).deadNode(4, 0).deadNode(5, 0)
                .range(1, 1, 1, 2, 3, 6, 4).range(2, 1, 1, 2, 3, 4, 5).view();
        PolicyResult all = five.propose(view, ViewFixture.unlimited(view));
        assertThat(all.plans()).extracting(OperatorPlan::rangeId).containsExactly(2L, 1L);
        PolicyResult one = five.propose(view, ViewFixture.limited(view, 1, 10));
        assertThat(one.plans()).extracting(OperatorPlan::rangeId).as("the one slot goes to the worse range").containsExactly(2L);
    }

    @Test
    void aRangeWithoutALiveMajorityIsSkippedAsNeedingManualRecovery() {
        ClusterView view = ViewFixture.at(NOW).nodes(1, 4, 5).deadNode(2, 0).deadNode(3, 0).range(1, 1, 1, 2, 3).view();
        PolicyResult result = propose(view);
        assertThat(result.plans()).isEmpty();
        assertThat(result.skips()).extracting(Skip::reason).singleElement().asString()
                .contains("quorum lost: 1 of 3 voters live");
    }

    @Test
    void anUnderReplicatedRangeGainsAVoterAndAnOverReplicatedOneLosesANonLeader() {
        ClusterView view = ViewFixture.at(NOW).nodes(1, 2, 3, 4)
                .range(1, 1, 1, 2)
                .range(2, 1, 1, 2, 3, 4).view();
        PolicyResult result = propose(view);
        assertThat(result.plans()).hasSize(2);
        assertThat(result.plans().get(0).steps()).containsExactly(new AddLearner(1, 3), new PromoteLearner(1, 3));
        Operation removal = result.plans().get(1).steps().get(0);
        assertThat(removal).isInstanceOf(RemoveReplica.class);
        assertThat(((RemoveReplica) removal).nodeId()).isNotEqualTo(1L);
    }

    @Test
    void aLeftOverLearnerIsPromotedWhenVotersAreShortElseRemoved() {
        ClusterView view = ViewFixture.at(NOW).nodes(1, 2, 3, 4)
                .range(1, 1, 1, 2).learner(1, 3)
                .range(2, 1, 1, 2, 3).learner(2, 4).view();
        PolicyResult result = propose(view);
        assertThat(result.plans()).extracting(p -> p.steps().get(0))
                .containsExactlyInAnyOrder(new PromoteLearner(1, 3), new RemoveReplica(2, 4));
    }

    @Test
    void aLeftOverLearnerReplacesALostVoterEvenWhenNoOtherNodeIsFree() {
        // Seed 148 of the node-death simulation: n1 held a learner from a failed move when n4 died.
        ClusterView view = ViewFixture.at(NOW).nodes(1, 3, 5).deadNode(2, 0).deadNode(4, 0)
                .range(46, 3, 3, 4, 5).learner(46, 1).view();
        assertThat(propose(view).plans()).singleElement()
                .satisfies(p -> assertThat(p.steps()).containsExactly(new PromoteLearner(46, 1), new RemoveReplica(46, 4)));
    }

    @Test
    void aReplicaOnARemovedNodeIsReplacedAtOnce() {
        ClusterView view = ViewFixture.at(NOW).nodes(1, 2, 4).node(3, NodeState.REMOVED).range(1, 1, 1, 2, 3).view();
        assertThat(propose(view).plans()).singleElement()
                .satisfies(p -> assertThat(p.steps()).contains(new RemoveReplica(1, 3)));
    }

    @Test
    void withNoNodeToTakeTheReplicaTheRangeIsSkipped() {
        ClusterView view = ViewFixture.at(NOW).nodes(1, 2).deadNode(3, 0).range(1, 1, 1, 2, 3).view();
        PolicyResult result = propose(view);
        assertThat(result.plans()).isEmpty();
        assertThat(result.skips()).extracting(Skip::reason).singleElement().asString().contains("no UP node can take");
    }

    @Test
    void repairsSpreadOverNodesAsTheLedgerCountsThem() {
        ViewFixture f = ViewFixture.at(NOW).nodes(1, 2, 4, 5).deadNode(3, 0);
        for (long r = 1; r <= 10; r++) {
            f.range(r, 1, 1, 2, 3);
        }
        ClusterView view = f.view();
        PolicyResult result = propose(view);
        long onto4 = result.plans().stream().filter(p -> p.steps().contains(new AddLearner(p.rangeId(), 4))).count();
        assertThat(result.plans()).hasSize(10);
        assertThat(onto4).isEqualTo(5);
    }
}
