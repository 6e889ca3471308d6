package io.flotilla.placement.cluster;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.flotilla.placement.ViewFixture.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterViewBuilderTest {

    private final ClusterViewBuilder builder = new ClusterViewBuilder(new LivenessConfig(10_000, 60_000));
    private static final List<Replica> THREE = List.of(Replica.voter(1, 11), Replica.voter(2, 12), Replica.voter(3, 13));

    @BeforeEach
    void registerThreeNodes() {
        for (long id = 1; id <= 3; id++) {
            builder.register(new RegisteredNode(id, "127.0.0.1:700" + id, Map.of("zone", "z" + id), AdminState.ACTIVE));
        }
    }

    private static RangeReport report(long range, long version, long confVersion, boolean leader, List<Replica> replicas) {
        return new RangeReport(range, key(range), key(range + 1), replicas, version, confVersion, leader,
                new RangeStats(100 * version, 1, 2, 60_000, Optional.empty(), Optional.empty()));
    }

    private static StoreHeartbeat heartbeat(long node, long at, RangeReport... reports) {
        return new StoreHeartbeat(node, at, 1000, 10 * node, List.of(reports));
    }

    @Test
    void heartbeatAgeDecidesUpSuspectAndDead() {
        builder.receive(heartbeat(1, 100_000));
        builder.receive(heartbeat(2, 85_000));
        builder.receive(heartbeat(3, 30_000));
        ClusterView view = builder.build(100_000);
        assertThat(view.stateOf(1)).isEqualTo(NodeState.UP);
        assertThat(view.stateOf(2)).isEqualTo(NodeState.SUSPECT);
        assertThat(view.stateOf(3)).isEqualTo(NodeState.DEAD);
        assertThat(view.node(1).orElseThrow().zone()).isEqualTo("z1");
        assertThat(view.node(2).orElseThrow().lastHeartbeatMillis()).isEqualTo(85_000);
    }

    @Test
    void aNodeNeverHeardFromIsDead() {
        assertThat(builder.build(0).stateOf(1)).isEqualTo(NodeState.DEAD);
    }

    @Test
    void theAdminStateOutranksLivenessExceptThatDeadStaysDead() {
        builder.setAdminState(1, AdminState.DECOMMISSIONING);
        builder.setAdminState(2, AdminState.REMOVED);
        builder.setAdminState(3, AdminState.DECOMMISSIONING);
        builder.receive(heartbeat(1, 1000));
        builder.receive(heartbeat(2, 1000));
        ClusterView view = builder.build(1000);
        assertThat(view.stateOf(1)).isEqualTo(NodeState.DECOMMISSIONING);
        assertThat(view.stateOf(2)).isEqualTo(NodeState.REMOVED);
        assertThat(view.stateOf(3)).as("never heard from").isEqualTo(NodeState.DEAD);
    }

    @Test
    void theNewestDescriptorWinsAndTheLeaderReportsTheLoad() {
        List<Replica> moved = List.of(Replica.voter(1, 11), Replica.voter(2, 12), Replica.learner(3, 14));
        builder.receive(heartbeat(1, 1000, report(7, 2, 5, false, moved)));
        builder.receive(heartbeat(2, 1000, report(7, 2, 5, true, moved)));
        builder.receive(heartbeat(3, 1000, report(7, 2, 4, false, THREE)));
        RangeInfo range = builder.build(1000).range(7).orElseThrow();
        assertThat(range.replicas()).isEqualTo(moved);
        assertThat(range.confVersion()).isEqualTo(5);
        assertThat(range.leaderNodeId()).isEqualTo(2);
        assertThat(range.stats().approximateBytes()).isEqualTo(200);
    }

    @Test
    void aLeaderClaimFromADeadNodeOrAnOldEpochIsIgnored() {
        builder.receive(heartbeat(1, 1000, report(7, 1, 1, true, THREE)));
        builder.receive(heartbeat(2, 80_000, report(7, 1, 2, false, THREE)));
        builder.receive(heartbeat(3, 80_000, report(7, 1, 1, true, THREE)));
        RangeInfo range = builder.build(80_000).range(7).orElseThrow();
        assertThat(range.leader()).as("n1 is dead, n3's claim is for an older epoch").isEmpty();
    }

    @Test
    void ofTwoLiveClaimsAtOneEpochTheNewerHeartbeatWins() {
        builder.receive(heartbeat(1, 1000, report(7, 1, 1, true, THREE)));
        builder.receive(heartbeat(2, 2000, report(7, 1, 1, true, THREE)));
        assertThat(builder.build(2000).range(7).orElseThrow().leaderNodeId()).isEqualTo(2);
    }

    @Test
    void anOlderHeartbeatDoesNotReplaceANewerOne() {
        assertThat(builder.receive(heartbeat(1, 2000))).isTrue();
        assertThat(builder.receive(heartbeat(1, 1000))).isFalse();
        assertThat(builder.build(2000).node(1).orElseThrow().lastHeartbeatMillis()).isEqualTo(2000);
    }

    @Test
    void aHeartbeatFromAnUnregisteredNodeIsATypedErrorAndChangesNothing() {
        assertThatThrownBy(() -> builder.receive(heartbeat(9, 1000, report(7, 1, 1, true, THREE))))
                .isInstanceOf(UnknownNodeException.class).hasMessageContaining("node 9");
        assertThatThrownBy(() -> builder.setAdminState(9, AdminState.REMOVED)).isInstanceOf(UnknownNodeException.class);
        assertThat(builder.build(1000).ranges()).isEmpty();
    }

    @Test
    void rangePreferencesOverrideTheDefault() {
        builder.receive(heartbeat(1, 1000, report(7, 1, 1, true, THREE), report(8, 1, 1, true, THREE)));
        builder.setDefaultPreference(Optional.of(LeaderPreference.onLabel("zone", "z2")));
        builder.setRangePreference(8, Optional.of(LeaderPreference.onNode(3)));
        ClusterView view = builder.build(1000);
        assertThat(view.range(7).orElseThrow().preference()).contains(LeaderPreference.onLabel("zone", "z2"));
        assertThat(view.range(8).orElseThrow().preference()).contains(LeaderPreference.onNode(3));
    }
}
