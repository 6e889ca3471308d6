package io.flotilla.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class NodeEngineTest {
    private static final int GROUPS = 300;

    private final Map<String, CountingStateMachine> machines = new HashMap<>();

    private LocalCluster cluster(boolean quiescence) {
        LocalCluster c = LocalCluster.of(3, 42, id -> EngineConfig.defaults(id).withQuiescence(quiescence));
        for (long g = 1; g <= GROUPS; g++) {
            long group = g;
            c.createGroup(g, List.of(1L, 2L, 3L), n -> machines.computeIfAbsent(group + "@" + n,
                    k -> new CountingStateMachine()));
        }
        return c;
    }


    private static int leaderless(LocalCluster c) {
        int n = 0;
        for (long g = 1; g <= GROUPS; g++) {
            if (c.leaderNodeOf(g) == 0) {
                n++;
            }
        }
        return n;
    }

    private static int tickUntilAllLed(LocalCluster c, int bound) {
        for (int t = 1; t <= bound; t++) {
            c.tick();
            if (leaderless(c) == 0) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void everyGroupElectsALeaderAndCommitsThroughTheEngine() {
        LocalCluster c = cluster(true);
        assertThat(tickUntilAllLed(c, 60)).as("ticks until every group has a leader").isPositive();
        List<CompletableFuture<Long>> writes = new java.util.ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
            writes.add(c.node(c.leaderNodeOf(g)).propose(g, ("v" + g).getBytes(StandardCharsets.UTF_8)));
        }
        c.tick(3);
        for (CompletableFuture<Long> w : writes) {
            assertThat(w).isCompleted();
            assertThat(w.join()).isPositive();
        }
        for (long g = 1; g <= GROUPS; g++) {
            for (long n = 1; n <= 3; n++) {
                assertThat(machines.get(g + "@" + n).data()).containsExactly("v" + g);
            }
        }
    }

    @Test
    void oneSyncPerCycleHoweverManyGroupsWrote() {
        LocalCluster c = cluster(false);
        tickUntilAllLed(c, 60);
        long syncsBefore = c.node(1).metrics().syncs();
        long cyclesBefore = c.node(1).metrics().readyCycles();
        for (long g = 1; g <= GROUPS; g++) {
            if (c.leaderNodeOf(g) == 1) {
                c.node(1).propose(g, new byte[] {1});
            }
        }
        c.settle();
        EngineMetrics.Snapshot m = c.node(1).metrics();
        assertThat(m.syncs() - syncsBefore).as("syncs").isLessThanOrEqualTo(m.readyCycles() - cyclesBefore);
        // Proposals for ~100 groups were handled in a handful of cycles, not one per group.
        assertThat(m.readyCycles() - cyclesBefore).isLessThan(GROUPS / 10);
    }

    @Test
    void heartbeatsBetweenTwoNodesTravelAsOneEnvelopePerTick() {
        LocalCluster c = cluster(false);
        tickUntilAllLed(c, 60);
        c.tick(5);
        long envBefore = c.node(1).metrics().envelopesTo().getOrDefault(2L, 0L);
        long itemsBefore = c.node(1).metrics().heartbeatItems();
        c.tick(10);
        long envelopes = c.node(1).metrics().envelopesTo().get(2L) - envBefore;
        long items = c.node(1).metrics().heartbeatItems() - itemsBefore;
        // Awake: node 1 leads ~100 groups and follows ~200, yet sends at most 2 envelopes per tick to node 2.
        assertThat(envelopes).as("envelopes 1->2 in 10 ticks").isLessThanOrEqualTo(20);
        assertThat(items / (double) envelopes).as("heartbeat items per envelope").isGreaterThan(50);
    }

    @Test
    void idleGroupsQuiesceAndStopTicking() {
        LocalCluster c = cluster(true);
        tickUntilAllLed(c, 60);
        c.tick(10);
        for (long n = 1; n <= 3; n++) {
            assertThat(c.node(n).metrics().quiescedGroups()).as("quiesced on node " + n).isEqualTo(GROUPS);
        }
        long groupTicks = c.node(1).metrics().groupTicks();
        c.tick(50);
        assertThat(c.node(1).metrics().groupTicks()).as("group ticks while quiesced").isEqualTo(groupTicks);
    }

    @Test
    void aWriteToAQuiescedGroupCommits() {
        LocalCluster c = cluster(true);
        tickUntilAllLed(c, 60);
        c.tick(10);
        long leader = c.leaderNodeOf(7);
        CompletableFuture<Long> w = c.node(leader).propose(7, "late".getBytes(StandardCharsets.UTF_8));
        c.tick(2);
        assertThat(w).isCompleted();
        for (long n = 1; n <= 3; n++) {
            assertThat(machines.get("7@" + n).data()).containsExactly("late");
        }
    }

    @Test
    void quiescedGroupsWhoseLeaderNodeDiesElectNewLeaders() {
        LocalCluster c = cluster(true);
        tickUntilAllLed(c, 60);
        c.tick(10);
        Map<Long, Long> termsBefore = new HashMap<>();
        long victim = 1;
        int led = 0;
        for (long g = 1; g <= GROUPS; g++) {
            if (c.leaderNodeOf(g) == victim) {
                led++;
            }
            termsBefore.put(g, c.node(2).info(g).term());
        }
        assertThat(led).isPositive();
        c.kill(victim);
        int ticks = tickUntilAllLed(c, 60);
        assertThat(ticks).as("ticks until all groups are led again").isPositive();
        // Groups whose leader survived keep it: their term did not move.
        for (long g = 1; g <= GROUPS; g++) {
            long ln = c.leaderNodeOf(g);
            assertThat(ln).isNotEqualTo(victim);
        }
    }

    @Test
    void quiescedFollowerThatMissedNothingNeverCampaigns() {
        LocalCluster c = cluster(true);
        tickUntilAllLed(c, 60);
        c.tick(10);
        long started = 0;
        for (long n = 1; n <= 3; n++) {
            started += c.node(n).metrics().electionsStarted();
        }
        c.tick(200);
        long after = 0;
        for (long n = 1; n <= 3; n++) {
            after += c.node(n).metrics().electionsStarted();
        }
        assertThat(after).isEqualTo(started);
    }

    @Test
    void aRestartedNodeCatchesUpOnWritesItMissed() {
        LocalCluster c = cluster(true);
        tickUntilAllLed(c, 60);
        c.tick(10);
        c.kill(3);
        tickUntilAllLed(c, 60);
        long group = 0;
        for (long g = 1; g <= GROUPS && group == 0; g++) {
            if (c.leaderNodeOf(g) != 0) {
                group = g;
            }
        }
        CompletableFuture<Long> w = c.node(c.leaderNodeOf(group)).propose(group, "missed".getBytes(StandardCharsets.UTF_8));
        c.tick(20);
        assertThat(w).isCompleted();
        c.restart(3);
        c.tick(40);
        NodeEngine.GroupInfo back = c.node(3).info(group);
        NodeEngine.GroupInfo leader = c.node(c.leaderNodeOf(group)).info(group);
        assertThat(back.commit()).as("commit on the restarted replica").isEqualTo(leader.commit());
        assertThat(back.applied()).isEqualTo(leader.commit());
    }

    @Test
    void aReadIndexOnAFollowerSeesEveryWriteAcknowledgedBeforeIt() {
        LocalCluster c = cluster(true);
        tickUntilAllLed(c, 60);
        c.tick(10);
        long leader = c.leaderNodeOf(9);
        long follower = leader == 1 ? 2 : 1;
        CompletableFuture<Long> w = c.node(leader).propose(9, "before-read".getBytes(StandardCharsets.UTF_8));
        c.settle();
        assertThat(w).isCompleted();
        CompletableFuture<Long> read = c.node(follower).readIndex(9);
        c.tick(3);
        assertThat(read).isCompleted();
        assertThat(read.join()).isGreaterThanOrEqualTo(w.join());
        assertThat(machines.get("9@" + follower).data()).contains("before-read");
    }
}
