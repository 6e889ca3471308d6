package io.flotilla.engine.simulation;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.LocalCluster;
import io.flotilla.raft.StateRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults the simulation injects do what they say: a power failure inside a sync kills the
 * node and loses that batch, a pause loses nothing, a one-way cut blocks one direction only.
 */
class ClusterFaultsTest {
    private static final long GROUP = 1;

    private final LocalCluster cluster = LocalCluster.of(3, 5, id -> EngineConfig.defaults(id).withQuiescence(false));

    ClusterFaultsTest() {
        cluster.createGroup(GROUP, List.of(1L, 2L, 3L), n -> new ReplicaRecorder(GROUP, n));
    }

    private long leader() {
        for (int t = 0; t < 100; t++) {
            for (long n = 1; n <= 3; n++) {
                if (cluster.isAlive(n) && cluster.node(n).info(GROUP).role() == StateRole.LEADER) {
                    return n;
                }
            }
            cluster.tick();
        }
        throw new AssertionError("no leader");
    }

    private CompletableFuture<Long> write(long node, String data) {
        return cluster.node(node).propose(GROUP, data.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    @DisplayName("a power failure during a sync kills the node, loses that batch, and a restart catches up")
    void aPowerFailureDuringASyncKillsTheNodeAndLosesTheBatch() {
        long leader = leader();
        long follower = leader % 3 + 1;
        cluster.tick(3);
        long durableBefore = cluster.store(follower).storage(GROUP).lastIndex();
        cluster.store(follower).crashAtNextSync(true);
        CompletableFuture<Long> w = write(leader, "x");
        cluster.tick();
        assertThat(cluster.isAlive(follower)).as("the follower died in its sync").isFalse();
        assertThat(w).as("the other two replicas still commit it").isCompleted();
        assertThat(cluster.store(follower).storage(GROUP).lastIndex()).as("the entry was not durable there")
                .isEqualTo(durableBefore).isLessThan(w.join());
        cluster.restart(follower);
        cluster.tick(5);
        assertThat(cluster.node(follower).info(GROUP).applied()).as("caught up after the restart")
                .isGreaterThanOrEqualTo(w.join());
    }

    @Test
    @DisplayName("a paused node keeps its state and its term; resumed, it catches up")
    void aPausedNodeLosesNothing() {
        long leader = leader();
        long follower = leader % 3 + 1;
        CompletableFuture<Long> first = write(leader, "a");
        cluster.tick(2);
        long appliedBefore = cluster.node(follower).info(GROUP).applied();
        cluster.pause(follower);
        assertThat(cluster.isAlive(follower)).isFalse();
        assertThat(cluster.isPaused(follower)).isTrue();
        CompletableFuture<Long> second = write(leader, "b");
        cluster.tick(30);
        assertThat(cluster.node(follower).info(GROUP).applied()).as("a paused node does nothing")
                .isEqualTo(appliedBefore).isGreaterThanOrEqualTo(first.join());
        cluster.resume(follower);
        cluster.tick(5);
        assertThat(cluster.node(follower).info(GROUP).applied()).isGreaterThanOrEqualTo(second.join());
    }

    @Test
    @DisplayName("a one-way cut loses traffic in one direction only; uncut heals it")
    void aOneWayCutBlocksOneDirection() {
        long leader = leader();
        long follower = leader % 3 + 1;
        long third = follower % 3 + 1;
        cluster.tick(3);
        long term = cluster.node(leader).info(GROUP).term();
        // The leader's appends reach the follower, its answers do not come back; the third
        // replica still makes a quorum with the leader, so writes commit.
        cluster.transport().cutOneWay(follower, leader);
        CompletableFuture<Long> w = write(leader, "one-way");
        cluster.tick(3);
        assertThat(w).isCompleted();
        assertThat(cluster.node(follower).info(GROUP).commit()).as("the follower still hears the leader")
                .isGreaterThanOrEqualTo(w.join());
        assertThat(cluster.node(leader).info(GROUP).term()).isEqualTo(term);
        // Cut the third replica off too: the leader hears no quorum and steps down (check-quorum).
        cluster.transport().cutOneWay(third, leader);
        cluster.tick(3 * cluster.node(leader).config().electionTick());
        assertThat(cluster.node(leader).info(GROUP).role()).isNotEqualTo(StateRole.LEADER);
        cluster.transport().uncut(third, leader);
        cluster.transport().uncut(follower, leader);
        assertThat(leader()).as("a leader again once healed").isPositive();
    }
}
