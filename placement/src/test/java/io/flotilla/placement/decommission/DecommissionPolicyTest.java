package io.flotilla.placement.decommission;

import io.flotilla.placement.ViewFixture;
import io.flotilla.placement.allocation.ReplicaAllocator;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.operation.Operation.AddLearner;
import io.flotilla.placement.operation.Operation.PromoteLearner;
import io.flotilla.placement.operation.Operation.RemoveReplica;
import io.flotilla.placement.operation.Operation.TransferLeader;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.PolicyResult;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DecommissionPolicyTest {

    private final DecommissionPolicy policy = new DecommissionPolicy(ReplicaAllocator.defaults());

    @Test
    void everyReplicaOnTheDrainingNodeMovesNewVoterFirst() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 4).node(3, NodeState.DECOMMISSIONING)
                .range(1, 1, 1, 2, 3).range(2, 2, 2, 3, 4).range(3, 1, 1, 2, 4).view();
        PolicyResult result = policy.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).extracting(OperatorPlan::rangeId).containsExactly(1L, 2L);
        assertThat(result.plans().get(0).steps()).containsExactly(new AddLearner(1, 4), new PromoteLearner(1, 4),
                new RemoveReplica(1, 3));
        assertThat(result.plans().get(1).steps()).containsExactly(new AddLearner(2, 1), new PromoteLearner(2, 1),
                new RemoveReplica(2, 3));
    }

    @Test
    void aLeadershipOnTheDrainingNodeIsHandedAwayBeforeItsRemoval() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 4).node(3, NodeState.DECOMMISSIONING)
                .range(1, 3, 1, 2, 3).range(2, 4, 1, 2, 4).range(3, 1, 1, 2, 4).view();
        // n2 leads nothing, n1 and n4 one each: n2 takes over.
        PolicyResult result = policy.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).singleElement().satisfies(p -> assertThat(p.steps()).containsExactly(
                new AddLearner(1, 4), new PromoteLearner(1, 4), new TransferLeader(1, 3, 2), new RemoveReplica(1, 3)));
    }

    @Test
    void aLearnerOnTheDrainingNodeIsSimplyRemoved() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 4).node(3, NodeState.DECOMMISSIONING)
                .range(1, 1, 1, 2, 4).learner(1, 3).view();
        assertThat(policy.propose(view, ViewFixture.unlimited(view)).plans()).singleElement()
                .satisfies(p -> assertThat(p.steps()).containsExactly(new RemoveReplica(1, 3)));
    }

    @Test
    void aRangeWithoutALiveMajorityIsNotTouched() {
        ClusterView view = ViewFixture.at(100_000).nodes(1, 4).deadNode(2, 0).node(3, NodeState.DECOMMISSIONING)
                .deadNode(5, 0).range(1, 1, 1, 2, 3, 5, 6).node(6, NodeState.SUSPECT).view();
        PolicyResult result = policy.propose(view, ViewFixture.unlimited(view));
        assertThat(result.plans()).as("n1, n3 and suspect n6: 3 of 5 voters live").hasSize(1);
        ClusterView lost = ViewFixture.at(100_000).nodes(1, 4).deadNode(2, 0).node(3, NodeState.DECOMMISSIONING)
                .deadNode(5, 0).deadNode(6, 0).range(1, 1, 1, 2, 3, 5, 6).view();
        PolicyResult none = policy.propose(lost, ViewFixture.unlimited(lost));
        assertThat(none.plans()).isEmpty();
        assertThat(none.skips()).singleElement().satisfies(s -> assertThat(s.reason()).contains("no live majority"));
    }

    @Test
    void aDrainedNodeWithNoOperatorIsReadyToBeRemoved() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 4).node(3, NodeState.DECOMMISSIONING)
                .node(5, NodeState.DECOMMISSIONING).node(6, NodeState.DECOMMISSIONING)
                .range(1, 1, 1, 2, 3).view();
        assertThat(policy.drainedNodes(view, Set.of(6L))).as("n3 still holds range 1; an operator touches n6")
                .containsExactly(5L);
    }
}
