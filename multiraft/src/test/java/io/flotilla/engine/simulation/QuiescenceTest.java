package io.flotilla.engine.simulation;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.LocalCluster;
import io.flotilla.engine.NodeEngine.GroupInfo;
import io.flotilla.raft.StateRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quiescence under node death and return, with tight, stated bounds: a quiesced group must not
 * wait for an election timeout it no longer runs, must not campaign while nothing is wrong, and
 * must catch up a replica that was away.
 */
class QuiescenceTest {
    private static final int NODES = 3;
    private static final int GROUPS = 60;

    private final Map<String, ReplicaRecorder> machines = new HashMap<>();
    private final LocalCluster cluster = LocalCluster.of(NODES, 11, id -> EngineConfig.defaults(id).withQuiescence(true));
    private final EngineConfig config = cluster.node(1).config();

    QuiescenceTest() {
        for (long g = 1; g <= GROUPS; g++) {
            long group = g;
            cluster.createGroup(g, List.of(1L, 2L, 3L), n -> {
                ReplicaRecorder r = new ReplicaRecorder(group, n);
                machines.put(group + "@" + n, r);
                return r;
            });
        }
    }

    private GroupInfo info(long node, long group) {
        return cluster.node(node).info(group);
    }

    /**
     * The node of the group's newest leader among live nodes, or 0. A deposed leader on a node
     * that was away may still think it leads until the first message from the new one.
     */
    private long leaderNode(long group) {
        long found = 0;
        long term = -1;
        for (long n = 1; n <= NODES; n++) {
            GroupInfo i = info(n, group);
            if (cluster.isAlive(n) && i.role() == StateRole.LEADER && i.term() > term) {
                found = n;
                term = i.term();
            }
        }
        return found;
    }

    private boolean allQuiesced() {
        for (long g = 1; g <= GROUPS; g++) {
            for (long n = 1; n <= NODES; n++) {
                if (cluster.isAlive(n) && !info(n, g).quiesced()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Elects a leader in every group and lets every group quiesce. */
    private void electAndQuiesce() {
        for (int t = 0; t < 200 && !allQuiesced(); t++) {
            cluster.tick();
        }
        assertThat(allQuiesced()).as("every replica quiesced").isTrue();
        for (long g = 1; g <= GROUPS; g++) {
            assertThat(leaderNode(g)).as("leader of group " + g).isPositive();
        }
    }

    private long electionsStarted() {
        long n = 0;
        for (long id = 1; id <= NODES; id++) {
            n += cluster.node(id).metrics().electionsStarted();
        }
        return n;
    }

    @Test
    @DisplayName("a quiesced group whose leader's node dies has a new leader within livenessTimeout + campaignStagger + 2 ticks")
    void aQuiescedGroupWhoseLeaderNodeDiesIsLedAgainWithinTheLivenessBound() {
        electAndQuiesce();
        long victim = 1;
        Map<Long, GroupInfo> before = new HashMap<>();
        List<Long> orphaned = new ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
            long ln = leaderNode(g);
            before.put(g, info(ln, g));
            if (ln == victim) {
                orphaned.add(g);
            }
        }
        assertThat(orphaned).as("groups led on the victim").isNotEmpty();
        cluster.kill(victim);
        // The victim's last envelope arrived this tick. Peers declare it dead once more than L ticks
        // pass without one (tick L + 1), and each orphaned group's designated replica campaigns 1..S
        // ticks later; with no network delay its election completes within that tick.
        int bound = config.livenessTimeoutTicks() + config.campaignStaggerTicks() + 2;
        int ticks = 0;
        while (ticks < bound && orphaned.stream().anyMatch(g -> leaderNode(g) == 0)) {
            cluster.tick();
            ticks++;
        }
        for (long g : orphaned) {
            assertThat(leaderNode(g)).as("new leader of group " + g + " after " + ticks + " ticks").isPositive();
        }
        // Groups whose leader survived were not disturbed: same leader, same term.
        for (long g = 1; g <= GROUPS; g++) {
            if (!orphaned.contains(g)) {
                GroupInfo now = info(leaderNode(g), g);
                assertThat(now.replicaId()).isEqualTo(before.get(g).replicaId());
                assertThat(now.term()).as("term of undisturbed group " + g).isEqualTo(before.get(g).term());
            }
        }
    }

    @Test
    @DisplayName("a quiesced follower that missed nothing never campaigns, however long the group idles")
    void aQuiescedFollowerThatMissedNothingNeverCampaigns() {
        electAndQuiesce();
        long started = electionsStarted();
        Map<String, Long> terms = new HashMap<>();
        for (long g = 1; g <= GROUPS; g++) {
            for (long n = 1; n <= NODES; n++) {
                terms.put(g + "@" + n, info(n, g).term());
            }
        }
        long groupTicks = cluster.node(2).metrics().groupTicks();
        // Two hundred election timeouts: an election timer left running anywhere would fire.
        cluster.tick(200 * config.electionTick());
        assertThat(electionsStarted()).as("elections started while idle").isEqualTo(started);
        assertThat(cluster.node(2).metrics().groupTicks()).as("group ticks while quiesced").isEqualTo(groupTicks);
        assertThat(allQuiesced()).as("still quiesced").isTrue();
        for (long g = 1; g <= GROUPS; g++) {
            for (long n = 1; n <= NODES; n++) {
                assertThat(info(n, g).term()).as("term of group " + g + " on node " + n)
                        .isEqualTo(terms.get(g + "@" + n));
            }
        }
    }

    @Test
    @DisplayName("a node declared dead (cut off) catches up on the writes committed while it was away")
    void aNodeCutOffUntilDeclaredDeadCatchesUpWhenItReturns() {
        assertCatchesUpAfterAbsence(n -> cluster.transport().isolate(n), n -> cluster.transport().healPartitions());
    }

    @Test
    @DisplayName("a node declared dead (paused, its clock stopped) catches up on the writes committed while it was away")
    void aPausedNodeDeclaredDeadCatchesUpWhenItResumes() {
        assertCatchesUpAfterAbsence(cluster::pause, cluster::resume);
    }

    private void assertCatchesUpAfterAbsence(LongConsumer leave, LongConsumer comeBack) {
        electAndQuiesce();
        long away = 3;
        long wakesBefore = cluster.node(1).metrics().wakes();
        leave.accept(away);
        // Long enough for the others to declare it dead and re-elect where it led.
        cluster.tick(config.livenessTimeoutTicks() + config.campaignStaggerTicks() + 5);
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
            long ln = leaderNode(g);
            assertThat(ln).as("leader of group " + g + " while node " + away + " is away").isIn(1L, 2L);
            writes.add(cluster.node(ln).propose(g, ("while-away-" + g).getBytes(StandardCharsets.ISO_8859_1)));
        }
        cluster.tick(3);
        for (CompletableFuture<Long> w : writes) {
            assertThat(w).as("a write committed by the two remaining replicas").isCompleted();
            assertThat(w.join()).isPositive();
        }
        assertThat(cluster.node(1).metrics().wakes()).as("groups woken by the death").isGreaterThan(wakesBefore);
        comeBack.accept(away);
        // The leaders cannot quiesce while the returning replica lags, so they heartbeat every
        // tick; the first response after the return starts the catch-up, with no network delay
        // a probe and the appends complete within a tick or two: electionTick is ample.
        int bound = config.electionTick();
        int ticks = 0;
        while (ticks < bound && !caughtUp(away)) {
            cluster.tick();
            ticks++;
        }
        for (long g = 1; g <= GROUPS; g++) {
            GroupInfo leader = info(leaderNode(g), g);
            GroupInfo back = info(away, g);
            assertThat(back.commit()).as("commit of group " + g + " on the returned node").isEqualTo(leader.commit());
            assertThat(back.applied()).isEqualTo(leader.commit());
            assertThat(machines.get(g + "@" + away).entries()).as("entries applied on the returned node")
                    .isEqualTo(machines.get(g + "@" + leaderNode(g)).entries());
        }
        // And, everything idle again, the whole cluster quiesces once more.
        for (int t = 0; t < 3 * config.electionTick() && !allQuiesced(); t++) {
            cluster.tick();
        }
        assertThat(allQuiesced()).as("quiesced again after the catch-up").isTrue();
    }

    private boolean caughtUp(long node) {
        for (long g = 1; g <= GROUPS; g++) {
            long ln = leaderNode(g);
            if (ln == 0 || info(node, g).applied() < info(ln, g).commit()) {
                return false;
            }
        }
        return true;
    }
}
