package io.flotilla.placement.operation;

import io.flotilla.placement.operation.Operation.AddLearner;
import io.flotilla.placement.operation.Operation.PromoteLearner;
import io.flotilla.placement.operation.Operation.RemoveReplica;
import io.flotilla.placement.operation.Operation.TransferLeader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoveReplicaTest {

    @Test
    void aMoveAddsAndPromotesTheNewVoterBeforeItRemovesTheOldOne() {
        OperatorPlan plan = MoveReplica.plan(OperatorKind.REPLICA_BALANCE, 5, 1, 4, OptionalLong.empty(), "balance");
        assertThat(plan.steps()).containsExactly(new AddLearner(5, 4), new PromoteLearner(5, 4), new RemoveReplica(5, 1));
        assertThat(plan.nodes()).isEqualTo(Set.of(1L, 4L));
    }

    @Test
    void aMoveOffTheLeaderHandsTheLeadershipAwayBeforeTheRemoval() {
        OperatorPlan plan = MoveReplica.plan(OperatorKind.DECOMMISSION, 5, 1, 4, OptionalLong.of(2), "drain");
        assertThat(plan.steps()).containsExactly(new AddLearner(5, 4), new PromoteLearner(5, 4),
                new TransferLeader(5, 1, 2), new RemoveReplica(5, 1));
        assertThat(plan.nodes()).as("the new leader's node is loaded too").isEqualTo(Set.of(1L, 2L, 4L));
        assertThat(plan.describe()).isEqualTo(
                "decommission r5: add-learner:n4 promote:n4 transfer-leader:n1->n2 remove:n1 (drain)");
    }

    @Test
    void badPlansAreRefused() {
        assertThatThrownBy(() -> MoveReplica.plan(OperatorKind.REPAIR, 5, 1, 1, OptionalLong.empty(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OperatorPlan(5, OperatorKind.REPAIR, List.of(), Set.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OperatorPlan(5, OperatorKind.REPAIR, List.of(new AddLearner(6, 1)), Set.of(), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range 6");
        assertThatThrownBy(() -> new TransferLeader(5, 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
