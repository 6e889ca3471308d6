package io.flotilla.placement.cluster;

import io.flotilla.placement.ViewFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.flotilla.placement.ViewFixture.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterViewTest {

    private static NodeInfo node(long id) {
        return new NodeInfo(id, "a", Map.of(), NodeState.UP, 0, 0, 0);
    }

    private static RangeInfo range(long id, long leader, long... nodes) {
        List<Replica> replicas = new java.util.ArrayList<>();
        for (long n : nodes) {
            replicas.add(Replica.voter(n, n));
        }
        return new RangeInfo(id, key(id), key(id + 1), replicas, leader, 1, 1, RangeStats.EMPTY, Optional.empty());
    }

    @Test
    void countsReplicasAndLeadersPerNode() {
        ClusterView view = ViewFixture.at(0).nodes(1, 2, 3)
                .range(1, 1, 1, 2, 3).range(2, 1, 1, 2).learner(2, 3).range(3, 2, 2, 3).view();
        assertThat(view.replicaCount(1)).isEqualTo(2);
        assertThat(view.replicaCount(3)).as("learners count as replicas").isEqualTo(3);
        assertThat(view.leaderCount(1)).isEqualTo(2);
        assertThat(view.leaderCount(3)).isZero();
        assertThat(view.rangesOn(2)).extracting(RangeInfo::rangeId).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aReplicaOnAnUnknownNodeIsATypedError() {
        assertThatThrownBy(() -> ClusterView.of(0, List.of(node(1)), List.of(range(1, 1, 1, 2))))
                .isInstanceOf(ClusterViewException.class).hasMessageContaining("unknown node 2");
    }

    @Test
    void aLeaderWithoutAReplicaIsATypedError() {
        assertThatThrownBy(() -> ClusterView.of(0, List.of(node(1), node(2)), List.of(range(1, 2, 1))))
                .isInstanceOf(ClusterViewException.class).hasMessageContaining("holds no replica");
    }

    @Test
    void duplicateIdsAreTypedErrors() {
        assertThatThrownBy(() -> ClusterView.of(0, List.of(node(1), node(1)), List.of()))
                .isInstanceOf(ClusterViewException.class);
        assertThatThrownBy(() -> ClusterView.of(0, List.of(node(1)), List.of(range(1, 1, 1), range(1, 1, 1))))
                .isInstanceOf(ClusterViewException.class);
    }

    @Test
    void aRangeEndMustFollowItsStartUnlessItIsTheEndOfTheKeySpace() {
        assertThatThrownBy(() -> new RangeInfo(1, key(5), key(5), List.of(), 0, 1, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        RangeInfo last = new RangeInfo(1, key(5), Key.EMPTY, List.of(), 0, 1, 1, null, null);
        assertThat(last.isInterior(key(6))).isTrue();
        assertThat(last.isInterior(key(5))).as("the start splits nothing off").isFalse();
    }

    @Test
    void quorumCountsOnlyVotersOnLiveNodes() {
        ClusterView view = ViewFixture.at(100_000).nodes(1, 2).deadNode(3, 0).node(4, NodeState.DECOMMISSIONING)
                .range(1, 1, 1, 3, 4).range(2, 1, 1, 2, 3).view();
        RangeInfo r1 = view.range(1).orElseThrow();
        assertThat(RangeHealth.liveVoters(r1, view)).isEqualTo(2);
        assertThat(RangeHealth.hasQuorum(r1, view)).isTrue();
        assertThat(RangeHealth.keepsQuorumWithout(r1, 4, view)).as("1 of 2 left live").isFalse();
        assertThat(RangeHealth.keepsQuorumWithout(r1, 3, view)).isTrue();
    }
}
