package io.flotilla.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NodeEngine#leaseRead} chosen per request: the same contract as a ReadIndex read
 * (Raft thesis §6.4: the index it completes with covers every write acknowledged before the
 * call), served without a heartbeat round while this replica leads under a valid lease
 * (§6.4.1), and through the ReadIndex round otherwise.
 */
class LeaseReadEngineTest {
    private static final int GROUPS = 30;
    private final Map<String, CountingStateMachine> machines = new HashMap<>();

    private LocalCluster cluster(boolean quiescence) {
        LocalCluster c = LocalCluster.of(3, 11, id -> leased(EngineConfig.defaults(id).withQuiescence(quiescence)));
        for (long g = 1; g <= GROUPS; g++) {
            long group = g;
            c.createGroup(g, List.of(1L, 2L, 3L), n -> machines.computeIfAbsent(group + "@" + n,
                    k -> new CountingStateMachine()));
        }
        for (int t = 0; t < 80 && c.leaderNodeOf(1) == 0; t++) {
            c.tick();
        }
        return c;
    }


    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("thesis §6.4.1: on a leader holding its lease the read completes in its own cycle, with no message exchanged, at an index covering an acknowledged write")
    void leaseHolderServesWithoutARound() {
        LocalCluster c = cluster(false);
        long leader = c.leaderNodeOf(1);
        CompletableFuture<Long> w = c.node(leader).propose(1, bytes("before"));
        c.tick(3);
        assertThat(w).isCompleted();
        NodeEngine e = c.node(leader);
        long sent = e.metrics().envelopes();
        CompletableFuture<Long> read = e.leaseRead(1);
        e.runUntilIdle(); // this node's workers only: nothing is delivered anywhere
        assertThat(read).as("served locally").isCompleted();
        assertThat(read.join()).isGreaterThanOrEqualTo(w.join());
        assertThat(machines.get("1@" + leader).data()).contains("before");
        assertThat(e.metrics().envelopes()).as("envelopes sent for it").isEqualTo(sent);
        assertThat(e.metrics().leaseReads()).isEqualTo(1);
    }

    @Test
    @DisplayName("thesis §6.4: a ReadIndex read on the same leader needs its heartbeat round: it does not complete on its own cycle")
    void readIndexNeedsTheRound() {
        LocalCluster c = cluster(false);
        c.tick(3);
        NodeEngine e = c.node(c.leaderNodeOf(1));
        CompletableFuture<Long> read = e.readIndex(1);
        e.runUntilIdle();
        assertThat(read).isNotCompleted();
        c.settle();
        assertThat(read).isCompleted();
    }

    @Test
    @DisplayName("a quiesced leader counted no time asleep, so it holds no lease: the read wakes it and takes the ReadIndex round")
    void quiescedLeaderFallsBackAndWakes() {
        LocalCluster c = cluster(true);
        c.tick(20);
        long leader = c.leaderNodeOf(1);
        NodeEngine e = c.node(leader);
        assertThat(e.info(1).quiesced()).isTrue();
        CompletableFuture<Long> read = e.leaseRead(1);
        e.runUntilIdle();
        assertThat(read).as("waits for the round").isNotCompleted();
        assertThat(e.metrics().leaseFallbacks()).isEqualTo(1);
        assertThat(e.info(1).quiesced()).as("woken").isFalse();
        c.settle();
        assertThat(read).isCompleted();
    }

    @Test
    @DisplayName("a follower holds no lease: its lease read is a ReadIndex read through the leader, and covers an acknowledged write")
    void followerFallsBackToReadIndex() {
        LocalCluster c = cluster(false);
        long leader = c.leaderNodeOf(1);
        long follower = leader == 1 ? 2 : 1;
        CompletableFuture<Long> w = c.node(leader).propose(1, bytes("w"));
        c.tick(3);
        CompletableFuture<Long> read = c.node(follower).leaseRead(1);
        c.tick(3);
        assertThat(read).isCompleted();
        assertThat(read.join()).isGreaterThanOrEqualTo(w.join());
        assertThat(machines.get("1@" + follower).data()).contains("w");
        assertThat(c.node(follower).metrics().leaseFallbacks()).isEqualTo(1);
    }

    @Test
    @DisplayName("after the clock lost time no lease is trusted for an election timeout of ticks; then leases hold again")
    void clockSlipSuspendsLeases() {
        LocalCluster c = cluster(false);
        c.tick(3);
        NodeEngine e = c.node(c.leaderNodeOf(1));
        e.clockSlipped();
        CompletableFuture<Long> during = e.leaseRead(1);
        e.runUntilIdle();
        assertThat(during).isNotCompleted();
        c.settle();
        assertThat(during).as("through the round").isCompleted();
        c.tick(e.config().electionTick());
        CompletableFuture<Long> after = e.leaseRead(1);
        e.runUntilIdle();
        assertThat(after).isCompleted();
        assertThat(e.metrics().leaseReads()).isEqualTo(1);
    }

    /** Lease reads on, with an election timeout long enough to leave a lease after the engine's margins. */
    private static EngineConfig leased(EngineConfig c) {
        return c.withLeaseReads(true).withElectionTick(20).withLivenessTimeoutTicks(20);
    }

    @Test
    @DisplayName("lease reads are off by default: a lease read takes the ReadIndex round")
    void offByDefault() {
        LocalCluster c = LocalCluster.of(3, 11, id -> EngineConfig.defaults(id).withQuiescence(false));
        c.createGroup(1, List.of(1L, 2L, 3L), n -> new CountingStateMachine());
        for (int t = 0; t < 80 && c.leaderNodeOf(1) == 0; t++) {
            c.tick();
        }
        c.tick(3);
        NodeEngine e = c.node(c.leaderNodeOf(1));
        CompletableFuture<Long> read = e.leaseRead(1);
        e.runUntilIdle();
        assertThat(read).as("waits for the round").isNotCompleted();
        c.settle();
        assertThat(read).isCompleted();
        assertThat(e.metrics().leaseReads()).isZero();
        assertThat(e.metrics().leaseFallbacks()).isEqualTo(1);
    }

    @Test
    @DisplayName("thesis §6.4.1: an isolated leader stops serving lease reads before its followers' election timeout, even with its workers as far behind its clock as the engine lets them fall")
    void theLeaseEndsBeforeTheFollowersMayElectDespiteWorkerLag() {
        for (int lag = 0; lag <= EngineConfig.defaults(1).maxTickDebt(); lag++) {
            LocalCluster c = cluster(false);
            long leader = c.leaderNodeOf(1);
            c.node(leader).propose(1, bytes("w"));
            c.tick(6);
            NodeEngine e = c.node(leader);
            c.transport().isolate(leader);
            long isolatedAt = e.currentTick();
            // Followers heard the leader last at about isolatedAt; their timers may run out
            // electionTick later, a few ticks sooner by their own lag. The lease must be over by then.
            long followersMayElectAt = isolatedAt + e.config().electionTick() - (e.config().maxTickDebt() + 1);
            long lastServed = -1;
            while (e.currentTick() < followersMayElectAt + 5) {
                for (int i = 0; i < lag; i++) {
                    e.tick(); // the clock runs ahead of the workers
                }
                long before = e.metrics().leaseReads();
                CompletableFuture<Long> read = e.leaseRead(1);
                e.runUntilIdle();
                if (e.metrics().leaseReads() > before && read.isDone()) {
                    lastServed = e.currentTick();
                }
                e.tick();
                e.runUntilIdle();
            }
            assertThat(lastServed).as("a lease read was served while isolated (lag " + lag + ")")
                    .isGreaterThan(isolatedAt);
            assertThat(lastServed).as("last lease read with the workers " + lag + " ticks behind")
                    .isLessThan(followersMayElectAt);
        }
    }

    @Test
    @DisplayName("a lease read of a group not hosted here fails with a clear error")
    void unknownGroupFails() {
        LocalCluster c = cluster(false);
        assertThat(c.node(1).leaseRead(999)).isCompletedExceptionally();
    }
}
