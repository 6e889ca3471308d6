package io.flotilla.bench.engine;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.EngineMetrics;
import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * One election storm: a fresh cluster, every group led with leaders spread evenly, then the
 * node leading the most groups dies; survivors are polled until each of its groups is led
 * again. Measures recovery time per affected group, elections and term increments spent, the
 * traffic of the recovery, and whether groups led elsewhere were disturbed.
 */
final class StormTrial {
    /**
     * @param quiesceFirst quiescence on, and every replica quiesced before the kill; otherwise
     *                     quiescence off, so every group is awake and heartbeating
     */
    record Params(int nodes, int groups, int replicas, boolean quiesceFirst, boolean preVote, boolean coalesce,
                  int staggerTicks, long tickMillis, int electionTick, int livenessTicks, int workers,
                  long recoveryMillis, long settleMillis, long setupMillis) {

        EngineConfig config(long id) {
            return EngineConfig.defaults(id).withTickMillis(tickMillis).withElectionTick(electionTick)
                    .withLivenessTimeoutTicks(livenessTicks).withPreVote(preVote).withCoalesce(coalesce)
                    .withCampaignStaggerTicks(staggerTicks).withQuiescence(quiesceFirst).withWorkers(workers);
        }

        Map<String, Object> describe() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("nodes", nodes);
            p.put("groups", groups);
            p.put("replicasPerGroup", replicas);
            p.put("quiesceFirst", quiesceFirst);
            p.put("preVote", preVote);
            p.put("coalesce", coalesce);
            p.put("campaignStaggerTicks", staggerTicks);
            p.put("tickMillis", tickMillis);
            p.put("electionTick", electionTick);
            p.put("electionTimeoutMillis", electionTick * tickMillis);
            p.put("livenessTimeoutTicks", livenessTicks);
            p.put("workersPerNode", workers);
            return p;
        }
    }

    /** Checks on healthy groups cost a lookup each: every 10th poll is enough to catch a disturbance. */
    private static final int HEALTHY_CHECK_EVERY = 10;
    private static final long POLL_NANOS = 10_000_000;
    /** A timeline row (counters of every survivor, which walks all groups) every 25th poll. */
    private static final int TIMELINE_EVERY = 25;

    private StormTrial() {
    }

    static Map<String, Object> run(Params p) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("params", p.describe());
        r.put("loadAtStart", ResultFile.loadAverage());
        try (EngineCluster cluster = new EngineCluster(p.nodes(), p.replicas(), p::config)) {
            long t0 = System.nanoTime();
            cluster.createGroups(p.groups());
            cluster.start();
            if (!cluster.awaitAllLed(p.groups(), p.setupMillis())) {
                throw new IllegalStateException("not every group elected a leader within " + p.setupMillis() + " ms");
            }
            if (p.quiesceFirst() && !cluster.awaitAllQuiesced((long) p.replicas() * p.groups(),
                    p.setupMillis(), new ArrayList<>())) {
                throw new IllegalStateException("not every replica quiesced within " + p.setupMillis() + " ms");
            }
            r.put("setupMillis", (System.nanoTime() - t0) / 1_000_000);
            storm(cluster, p, r);
        }
        r.put("loadAtEnd", ResultFile.loadAverage());
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void storm(EngineCluster cluster, Params p, Map<String, Object> r) {
        int n = p.groups();
        long[] leaderBefore = new long[n + 1];
        long[] termBefore = new long[n + 1];
        Map<Long, Long> leadersPerNode = new TreeMap<>();
        for (long id = 0; id <= p.nodes(); id++) {
            leadersPerNode.put(id, 0L);
        }
        for (int g = 1; g <= n; g++) {
            leaderBefore[g] = cluster.leaderNode(g);
            termBefore[g] = cluster.maxTerm(g);
            leadersPerNode.merge(leaderBefore[g], 1L, Long::sum);
        }
        long unled = leadersPerNode.remove(0L);
        long victim = leadersPerNode.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        r.put("leadersPerNodeBefore", leadersPerNode);
        r.put("groupsWithoutLeaderAtKill", unled);
        r.put("killedNode", victim);

        int[] affected = java.util.stream.IntStream.rangeClosed(1, n).filter(g -> leaderBefore[g] == victim).toArray();
        int[] healthy = java.util.stream.IntStream.rangeClosed(1, n)
                .filter(g -> leaderBefore[g] != victim && leaderBefore[g] != 0).toArray();
        long[] recoveredNanos = new long[n + 1];
        Arrays.fill(recoveredNanos, -1);
        boolean[] disturbed = new boolean[n + 1];

        // Where each affected group's surviving replicas live, found once: the poll loop competes
        // with the engines for the CPU, so it should cost as little as possible.
        NodeEngine[][] survivorsOf = new NodeEngine[n + 1][];
        for (int g : affected) {
            survivorsOf[g] = cluster.nodesOf(g).stream().filter(node -> node != victim).map(cluster::node)
                    .toArray(NodeEngine[]::new);
        }
        Map<Long, EngineMetrics.Snapshot> before = survivorsMetrics(cluster, victim);
        long kill = System.nanoTime();
        cluster.kill(victim);
        long deadline = kill + p.recoveryMillis() * 1_000_000;
        int pending = affected.length;
        int cursor = 0;
        Map<Long, EngineMetrics.Snapshot> atRecovery = null;
        long recoveryDone = -1;
        long settleEnd = Long.MAX_VALUE;
        List<List<Long>> timeline = new ArrayList<>();
        long lastPoll = kill;
        long maxPollGap = 0;
        for (long poll = 0; ; poll++) {
            long now = System.nanoTime();
            // A poller starved of CPU sees recoveries late: its worst gap bounds the timing error.
            maxPollGap = Math.max(maxPollGap, now - lastPoll);
            lastPoll = now;
            if (poll % TIMELINE_EVERY == 0 && pending > 0) {
                Map<Long, EngineMetrics.Snapshot> m = survivorsMetrics(cluster, victim);
                timeline.add(List.of((now - kill) / 1_000_000, (long) affected.length - pending,
                        sum(before, m, EngineMetrics.Snapshot::wakes), sum(before, m, EngineMetrics.Snapshot::electionsStarted),
                        sum(before, m, EngineMetrics.Snapshot::electionsWon)));
            }
            if (pending > 0) {
                // Unrecovered groups sit at the front of the array: swap each recovered one behind the cursor.
                for (int i = cursor; i < affected.length; i++) {
                    int g = affected[i];
                    if (ledBySurvivor(survivorsOf[g], g)) {
                        // Stamped when seen, never earlier: a time is an upper bound, late by at most a poll gap.
                        recoveredNanos[g] = System.nanoTime() - kill;
                        affected[i] = affected[cursor];
                        affected[cursor++] = g;
                        pending--;
                    }
                }
                if (pending == 0) {
                    recoveryDone = System.nanoTime();
                    atRecovery = survivorsMetrics(cluster, victim);
                    settleEnd = recoveryDone + p.settleMillis() * 1_000_000;
                }
            }
            if (poll % HEALTHY_CHECK_EVERY == 0) {
                checkHealthy(cluster, healthy, leaderBefore, termBefore, disturbed);
            }
            if (now >= settleEnd || now >= deadline) {
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        checkHealthy(cluster, healthy, leaderBefore, termBefore, disturbed);
        Map<Long, EngineMetrics.Snapshot> atEnd = survivorsMetrics(cluster, victim);
        if (atRecovery == null) {
            atRecovery = atEnd;
        }
        report(r, p, cluster, affected, healthy, recoveredNanos, disturbed, termBefore, before, atRecovery, atEnd,
                recoveryDone < 0 ? -1 : (recoveryDone - kill) / 1e6);
        ((Map<String, Object>) r.get("recovery")).put("maxPollGapMillis", maxPollGap / 1e6);
        r.put("timelineColumns", List.of("msSinceKill", "recovered", "survivorWakes", "electionsStarted",
                "electionsWon"));
        r.put("timeline", timeline);
    }

    private static boolean ledBySurvivor(NodeEngine[] survivors, long g) {
        for (NodeEngine e : survivors) {
            NodeEngine.GroupInfo info = e.info(g);
            if (info != null && info.role() == StateRole.LEADER) {
                return true;
            }
        }
        return false;
    }

    private static void checkHealthy(EngineCluster cluster, int[] healthy, long[] leaderBefore, long[] termBefore,
                                     boolean[] disturbed) {
        for (int g : healthy) {
            if (!disturbed[g]) {
                NodeEngine.GroupInfo info = cluster.node(leaderBefore[g]).info(g);
                if (info == null || info.role() != StateRole.LEADER || info.term() != termBefore[g]) {
                    disturbed[g] = true;
                }
            }
        }
    }

    private static Map<Long, EngineMetrics.Snapshot> survivorsMetrics(EngineCluster cluster, long victim) {
        Map<Long, EngineMetrics.Snapshot> m = new TreeMap<>(cluster.metrics());
        m.remove(victim);
        return m;
    }

    private static void report(Map<String, Object> r, Params p, EngineCluster cluster, int[] affected, int[] healthy,
                               long[] recoveredNanos, boolean[] disturbed, long[] termBefore,
                               Map<Long, EngineMetrics.Snapshot> before, Map<Long, EngineMetrics.Snapshot> atRecovery,
                               Map<Long, EngineMetrics.Snapshot> atEnd, double allRecoveredMillis) {
        double[] ms = Arrays.stream(affected).filter(g -> recoveredNanos[g] >= 0)
                .mapToDouble(g -> recoveredNanos[g] / 1e6).sorted().toArray();
        long affectedTermIncrements = 0;
        for (int g : affected) {
            affectedTermIncrements += cluster.maxTerm(g) - termBefore[g];
        }
        long healthyTermIncrements = 0;
        int disturbedCount = 0;
        for (int g : healthy) {
            healthyTermIncrements += cluster.maxTerm(g) - termBefore[g];
            disturbedCount += disturbed[g] ? 1 : 0;
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("affectedGroups", affected.length);
        rec.put("recoveredGroups", ms.length);
        rec.put("allRecoveredMillis", allRecoveredMillis < 0 ? null : allRecoveredMillis);
        rec.put("p50Millis", ms.length == 0 ? null : percentile(ms, 50));
        rec.put("p99Millis", ms.length == 0 ? null : percentile(ms, 99));
        rec.put("maxMillis", ms.length == 0 ? null : ms[ms.length - 1]);
        rec.put("minMillis", ms.length == 0 ? null : ms[0]);
        r.put("recovery", rec);

        Map<String, Object> el = new LinkedHashMap<>();
        el.put("electionsNeeded", affected.length);
        el.put("electionsStartedDuringRecovery", sum(before, atRecovery, EngineMetrics.Snapshot::electionsStarted));
        el.put("electionsStartedIncludingSettle", sum(before, atEnd, EngineMetrics.Snapshot::electionsStarted));
        el.put("electionsWonIncludingSettle", sum(before, atEnd, EngineMetrics.Snapshot::electionsWon));
        el.put("termIncrementsAffected", affectedTermIncrements);
        el.put("termIncrementsHealthy", healthyTermIncrements);
        r.put("elections", el);

        Map<String, Object> tr = new LinkedHashMap<>();
        tr.put("envelopes", sum(before, atRecovery, EngineMetrics.Snapshot::envelopes));
        tr.put("raftMessages", sum(before, atRecovery, EngineMetrics.Snapshot::messages));
        tr.put("heartbeatItems", sum(before, atRecovery, EngineMetrics.Snapshot::heartbeatItems));
        tr.put("approxBytes", sum(before, atRecovery, EngineMetrics.Snapshot::bytes));
        tr.put("note", "sent by the survivors from the kill until every affected group was led again");
        r.put("recoveryTraffic", tr);

        Map<String, Object> h = new LinkedHashMap<>();
        h.put("healthyGroups", healthy.length);
        h.put("disturbedGroups", disturbedCount);
        h.put("note", "led by a survivor before the kill; disturbed = that leader lost leadership or its term changed,"
                + " seen by polls every " + HEALTHY_CHECK_EVERY * POLL_NANOS / 1_000_000 + " ms until "
                + p.settleMillis() + " ms after recovery");
        r.put("healthy", h);

        Map<String, Object> t = new LinkedHashMap<>();
        Object max = rec.get("maxMillis");
        t.put("everyAffectedLedWithin3s", ms.length == affected.length && max != null && (double) max <= 3000);
        t.put("p50AtMost2s", ms.length > 0 && percentile(ms, 50) <= 2000);
        t.put("noHealthyGroupDisturbed", disturbedCount == 0);
        r.put("targets", t);
    }

    private static long sum(Map<Long, EngineMetrics.Snapshot> a, Map<Long, EngineMetrics.Snapshot> b,
                            java.util.function.ToLongFunction<EngineMetrics.Snapshot> f) {
        long s = 0;
        for (long n : b.keySet()) {
            s += f.applyAsLong(b.get(n)) - f.applyAsLong(a.get(n));
        }
        return s;
    }

    /** Nearest-rank percentile of sorted values; 0 when empty. */
    static double percentile(double[] sorted, double pct) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
