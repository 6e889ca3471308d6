package io.flotilla.bench.engine;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.EngineMetrics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The idle cost of many groups: 3 nodes in this process, G groups of 3 replicas (one per node),
 * leaders spread evenly, nothing written. Once every group is led (and, with quiescence, every
 * replica quiesced) it measures over a window: process CPU per wall second (% of one core),
 * heap per replica (the growth of the live objects in the class histogram, and of the used
 * heap after full GCs, from before creating the groups to after, divided by 3G), and the traffic between nodes: envelopes and coalesced heartbeat items per second per
 * node pair.
 *
 * <pre>
 * java -Xmx8g -cp ... io.flotilla.bench.engine.IdleBenchmark --groups=100000 [--quiescence=true]
 *     [--seconds=10] [--settle-seconds=5] [--tick-ms=100] [--workers=N] [--setup-seconds=900] [--histogram=12]
 *     [--out=FILE]
 * </pre>
 *
 * Targets: 100k quiesced replicas per node at most 2% of one core and 1 KiB of heap per
 * replica; envelopes per node pair per tick independent of G (at most 2 per tick per pair).
 */
public final class IdleBenchmark {
    static final Set<String> FLAGS = Set.of("groups", "quiescence", "seconds", "tick-ms", "workers", "setup-seconds",
            "settle-seconds", "histogram", "out");
    static final String USAGE = "usage: IdleBenchmark [--groups=1000] [--quiescence=true] [--seconds=10] [--settle-seconds=5] [--tick-ms=100]\n"
            + "    [--workers=N] [--setup-seconds=900] [--histogram=12] [--out=bench/results/idle.json]";
    private static final int NODES = 3;
    static final double CPU_TARGET_PERCENT_PER_NODE = 2.0;
    static final double HEAP_TARGET_BYTES_PER_REPLICA = 1024;
    static final double ENVELOPES_TARGET_PER_TICK_PER_PAIR = 2.0;

    private IdleBenchmark() {
    }

    public static void main(String[] argv) {
        BenchArgs args = BenchArgs.parseOrExit(argv, FLAGS, USAGE);
        Map<String, Object> result = run(args, System.out);
        ResultFile.write(ResultFile.path(args, "idle"), result);
        System.out.println("wrote " + ResultFile.path(args, "idle"));
    }

    /** Runs the benchmark, prints its table to {@code out} and returns the result document. */
    public static Map<String, Object> run(BenchArgs args, PrintStream out) {
        int groups = args.integer("groups", 1000);
        boolean quiescence = args.bool("quiescence", true);
        int seconds = args.integer("seconds", 10);
        long tickMs = args.longValue("tick-ms", 100);
        int workers = args.integer("workers", Runtime.getRuntime().availableProcessors());
        long setupMs = args.longValue("setup-seconds", 900) * 1000;
        int histogramTop = args.integer("histogram", 12);
        int settleSeconds = args.integer("settle-seconds", 5);
        if (groups < 1 || seconds < 1 || seconds > 3600) {
            throw new IllegalArgumentException("--groups must be positive and --seconds in 1..3600");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "idle");
        result.put("description", "idle cost of G groups x 3 replicas on 3 in-process nodes (direct in-memory "
                + "transport, in-memory log): CPU, heap per replica, envelopes and heartbeat items per node pair");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("nodes", NODES);
        params.put("groups", groups);
        params.put("replicasPerGroup", NODES);
        params.put("quiescence", quiescence);
        params.put("seconds", seconds);
        params.put("settleSecondsBeforeWindow", settleSeconds);
        params.put("tickMillis", tickMs);
        params.put("workersPerNode", workers);
        result.put("params", params);
        result.put("hostAtStart", ResultFile.host());

        Map<String, Object> setup = new LinkedHashMap<>();
        try (EngineCluster cluster = new EngineCluster(NODES, NODES, id -> EngineConfig.defaults(id)
                .withTickMillis(tickMs).withQuiescence(quiescence).withWorkers(workers))) {
            // The engines exist but host nothing yet: the growth from here on is the groups'.
            var before = histogramTop > 0 ? HeapCensus.histogram() : Map.<String, HeapCensus.ClassCount>of();
            long heapBefore = HeapCensus.usedAfterGc();
            long t0 = System.nanoTime();
            cluster.createGroups(groups);
            setup.put("createMillis", (System.nanoTime() - t0) / 1_000_000);
            long t1 = System.nanoTime();
            cluster.start();
            boolean led = cluster.awaitAllLed(groups, setupMs);
            setup.put("electMillis", (System.nanoTime() - t1) / 1_000_000);
            setup.put("allLed", led);
            if (!led) {
                throw new IllegalStateException("not every group elected a leader within " + setupMs + " ms");
            }
            if (quiescence) {
                long t2 = System.nanoTime();
                List<List<Long>> progress = new ArrayList<>();
                boolean all = cluster.awaitAllQuiesced((long) NODES * groups, setupMs, progress);
                setup.put("quiesceMillis", (System.nanoTime() - t2) / 1_000_000);
                setup.put("allQuiesced", all);
                setup.put("quiescedReplicasOverTime", progress);
            }
            setup.put("countersAfterSetup", setupCounters(cluster.metrics()));
            Map<Long, Long> leaders = leadersPerNode(cluster, groups);
            setup.put("leadersPerNode", leaders);

            long heapAfter = HeapCensus.usedAfterGc();
            var after = histogramTop > 0 ? HeapCensus.histogram() : Map.<String, HeapCensus.ClassCount>of();
            long replicas = (long) NODES * groups;
            Map<String, Object> heap = new LinkedHashMap<>();
            heap.put("usedBeforeBytes", heapBefore);
            heap.put("usedAfterBytes", heapAfter);
            heap.put("bytesPerReplica", (double) (heapAfter - heapBefore) / replicas); // used after full GCs
            if (histogramTop > 0) {
                // Live objects only, by the class histogram: what the groups hold, whatever slack
                // the collector leaves in "used" (the two differ by collector).
                heap.put("liveObjectBytesPerReplica", (double) (HeapCensus.totalBytes(after) - HeapCensus.totalBytes(before)) / replicas);
                heap.put("topGrowthByClass", HeapCensus.growth(before, after, replicas, histogramTop));
            }
            // Let the collections above and the JIT (busy compiling after setup) settle before the window.
            LockSupport.parkNanos(settleSeconds * 1_000_000_000L);

            Map<Long, EngineMetrics.Snapshot> m0 = cluster.metrics();
            ProcessCpu cpu = ProcessCpu.start();
            LockSupport.parkNanos(seconds * 1_000_000_000L);
            Map<String, Object> cpuWindow = cpu.stop();
            Map<Long, EngineMetrics.Snapshot> m1 = cluster.metrics();

            double wall = (double) cpuWindow.get("wallSeconds");
            result.put("setup", setup);
            result.put("heap", heap);
            result.put("cpu", withPerNode(cpuWindow));
            result.put("traffic", traffic(m0, m1, wall));
            result.put("engine", engineCounters(m0, m1, wall, groups));
            result.put("hostAtEnd", ResultFile.host());
            result.put("targets", targets(result, quiescence));
        }
        print(out, result);
        return result;
    }

    private static Map<String, Object> withPerNode(Map<String, Object> cpu) {
        Map<String, Object> r = new LinkedHashMap<>(cpu);
        r.put("processCpuPercentOfOneCorePerNode", (double) cpu.get("processCpuPercentOfOneCore") / NODES);
        Object noJit = cpu.get("processCpuPercentOfOneCoreExcludingJit");
        if (noJit != null) {
            r.put("processCpuPercentOfOneCorePerNodeExcludingJit", (double) noJit / NODES);
        }
        return r;
    }

    /** Totals over the nodes since they started: what it took to elect and quiesce. */
    static Map<String, Object> setupCounters(Map<Long, EngineMetrics.Snapshot> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("electionsStarted", m.values().stream().mapToLong(EngineMetrics.Snapshot::electionsStarted).sum());
        c.put("electionsWon", m.values().stream().mapToLong(EngineMetrics.Snapshot::electionsWon).sum());
        c.put("quiesces", m.values().stream().mapToLong(EngineMetrics.Snapshot::quiesces).sum());
        c.put("wakes", m.values().stream().mapToLong(EngineMetrics.Snapshot::wakes).sum());
        c.put("groupTicks", m.values().stream().mapToLong(EngineMetrics.Snapshot::groupTicks).sum());
        return c;
    }

    static Map<Long, Long> leadersPerNode(EngineCluster cluster, int groups) {
        Map<Long, Long> n = new java.util.TreeMap<>();
        for (long id : cluster.nodes().keySet()) {
            n.put(id, 0L);
        }
        for (long g = 1; g <= groups; g++) {
            long l = cluster.leaderNode(g);
            if (l != 0) {
                n.merge(l, 1L, Long::sum);
            }
        }
        return n;
    }

    /**
     * Envelopes per directed pair (per second, and per tick of the sending node as it counted
     * them), per unordered pair (both directions, per tick), and heartbeat items.
     */
    static Map<String, Object> traffic(Map<Long, EngineMetrics.Snapshot> m0, Map<Long, EngineMetrics.Snapshot> m1,
                                       double wall) {
        Map<String, Object> directed = new LinkedHashMap<>();
        Map<String, Double> unordered = new java.util.TreeMap<>();
        double maxDirectedPerTick = 0;
        long items = 0;
        long messages = 0;
        long bytes = 0;
        long minTicks = Long.MAX_VALUE;
        for (long from : m1.keySet()) {
            long ticks = Math.max(1, m1.get(from).ticks() - m0.get(from).ticks());
            minTicks = Math.min(minTicks, ticks);
            for (var e : m1.get(from).envelopesTo().entrySet()) {
                long to = e.getKey();
                long d = e.getValue() - m0.get(from).envelopesTo().getOrDefault(to, 0L);
                directed.put(from + "->" + to, d / wall);
                maxDirectedPerTick = Math.max(maxDirectedPerTick, (double) d / ticks);
                unordered.merge(Math.min(from, to) + "-" + Math.max(from, to), (double) d / ticks, Double::sum);
            }
            items += m1.get(from).heartbeatItems() - m0.get(from).heartbeatItems();
            messages += m1.get(from).messages() - m0.get(from).messages();
            bytes += m1.get(from).bytes() - m0.get(from).bytes();
        }
        int pairs = m1.size() * (m1.size() - 1);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("envelopesPerSecondByDirectedPair", directed);
        t.put("envelopesPerTickByUnorderedPair", new LinkedHashMap<>(unordered));
        t.put("maxEnvelopesPerTickDirectedPair", maxDirectedPerTick);
        t.put("maxEnvelopesPerTickUnorderedPair", unordered.values().stream().mapToDouble(x -> x).max().orElse(0));
        // Counters are read between ticks, not at them: either end of the window may hold one envelope
        // more than the ticks counted.
        t.put("perTickCountingSlack", 2.0 / minTicks);
        t.put("heartbeatItemsPerSecondPerDirectedPair", items / wall / pairs);
        t.put("raftMessagesPerSecondPerDirectedPair", messages / wall / pairs);
        t.put("approxBytesPerSecondPerDirectedPair", bytes / wall / pairs);
        return t;
    }

    static Map<String, Object> engineCounters(Map<Long, EngineMetrics.Snapshot> m0,
                                              Map<Long, EngineMetrics.Snapshot> m1, double wall, int groups) {
        long groupTicks = 0;
        long ticks = 0;
        long wakes = 0;
        long elections = 0;
        long awake = 0;
        long quiesced = 0;
        long cycles = 0;
        for (long n : m1.keySet()) {
            EngineMetrics.Snapshot a = m0.get(n);
            EngineMetrics.Snapshot b = m1.get(n);
            groupTicks += b.groupTicks() - a.groupTicks();
            ticks += b.ticks() - a.ticks();
            wakes += b.wakes() - a.wakes();
            elections += b.electionsStarted() - a.electionsStarted();
            cycles += b.readyCycles() - a.readyCycles();
            awake += b.awakeGroups();
            quiesced += b.quiescedGroups();
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("nodeTicksPerSecondPerNode", ticks / wall / m1.size());
        e.put("groupTicksPerSecond", groupTicks / wall);
        e.put("readyCyclesPerSecond", cycles / wall);
        e.put("wakesInWindow", wakes);
        e.put("electionsStartedInWindow", elections);
        e.put("awakeReplicasAtEnd", awake);
        e.put("quiescedReplicasAtEnd", quiesced);
        e.put("replicas", (long) NODES * groups);
        return e;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> targets(Map<String, Object> r, boolean quiescence) {
        double cpuPerNode = (double) ((Map<String, Object>) r.get("cpu")).get("processCpuPercentOfOneCorePerNode");
        // The target is what the replicas' objects take: the live bytes when the histogram is
        // there. "Used after GC" adds what the collector leaves: the parallel collector keeps a
        // dense prefix of the old generation uncompacted, dead objects included (about 280 B per
        // replica at 100k groups, none at 30k); G1 compacts it all. Both are reported.
        Map<String, Object> heapFigures = (Map<String, Object>) r.get("heap");
        double heap = (double) heapFigures.getOrDefault("liveObjectBytesPerReplica", heapFigures.get("bytesPerReplica"));
        double env = (double) ((Map<String, Object>) r.get("traffic")).get("maxEnvelopesPerTickUnorderedPair");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("cpuPercentOfOneCorePerNode", target(cpuPerNode, CPU_TARGET_PERCENT_PER_NODE,
                quiescence ? "100k quiesced replicas per node" : "target is for quiesced replicas"));
        t.put("heapBytesPerReplica", target(heap, HEAP_TARGET_BYTES_PER_REPLICA, "per replica"));
        double slack = (double) ((Map<String, Object>) r.get("traffic")).get("perTickCountingSlack");
        Map<String, Object> envTarget = target(env, ENVELOPES_TARGET_PER_TICK_PER_PAIR,
                "both directions of a node pair, whatever G; met within the counting slack of the window's ends");
        envTarget.put("met", env <= ENVELOPES_TARGET_PER_TICK_PER_PAIR + slack);
        t.put("envelopesPerTickPerUnorderedPair", envTarget);
        return t;
    }

    private static Map<String, Object> target(double value, double limit, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("atMost", limit);
        m.put("met", value <= limit);
        m.put("note", note);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintStream out, Map<String, Object> r) {
        Map<String, Object> p = (Map<String, Object>) r.get("params");
        Map<String, Object> setup = (Map<String, Object>) r.get("setup");
        Map<String, Object> cpu = (Map<String, Object>) r.get("cpu");
        Map<String, Object> heap = (Map<String, Object>) r.get("heap");
        Map<String, Object> tr = (Map<String, Object>) r.get("traffic");
        Map<String, Object> en = (Map<String, Object>) r.get("engine");
        Map<String, Object> tg = (Map<String, Object>) r.get("targets");
        out.printf("idle: %d groups x 3 replicas on 3 nodes, quiescence %s, tick %d ms, window %.1f s, load %s -> %s%n",
                p.get("groups"), p.get("quiescence"), p.get("tickMillis"), cpu.get("wallSeconds"),
                ((Map<String, Object>) r.get("hostAtStart")).get("loadAverage"),
                ((Map<String, Object>) r.get("hostAtEnd")).get("loadAverage"));
        out.printf("setup: create %s ms, elect %s ms, quiesce %s ms, leaders per node %s%n", setup.get("createMillis"),
                setup.get("electMillis"), setup.getOrDefault("quiesceMillis", "-"), setup.get("leadersPerNode"));
        TextTable t = new TextTable("measure", "value", "unit", "target");
        t.row("process CPU", cpu.get("processCpuPercentOfOneCore"), "% of one core", "");
        t.row("process CPU per node", cpu.get("processCpuPercentOfOneCorePerNode"), "% of one core",
                verdict(tg.get("cpuPercentOfOneCorePerNode")));
        t.row("process CPU per node, JIT excluded", cpu.get("processCpuPercentOfOneCorePerNodeExcludingJit"),
                "% of one core", "");
        t.row("  tickers / workers / other", String.format("%.2f / %.2f / %.2f", cpu.get("tickerCpuPercentOfOneCore"),
                cpu.get("workerCpuPercentOfOneCore"), cpu.get("otherCpuPercentOfOneCore")), "% of one core", "");
        t.row("  busiest threads", ProcessCpu.topThreadsLine(cpu, 4), "% of one core", "");
        t.row("GC in window", cpu.get("gcMillis"), "ms", "");
        if (heap.containsKey("liveObjectBytesPerReplica")) {
            t.row("heap per replica, live objects", heap.get("liveObjectBytesPerReplica"), "bytes",
                    verdict(tg.get("heapBytesPerReplica")));
            t.row("heap per replica, used after full GC", heap.get("bytesPerReplica"), "bytes", "");
        } else {
            t.row("heap per replica", heap.get("bytesPerReplica"), "bytes", verdict(tg.get("heapBytesPerReplica")));
        }
        t.row("heap used before / after", (((Number) heap.get("usedBeforeBytes")).longValue() >> 20) + " / "
                + (((Number) heap.get("usedAfterBytes")).longValue() >> 20), "MiB", "");
        t.row("envelopes, max directed pair", tr.get("maxEnvelopesPerTickDirectedPair"), "per tick", "");
        t.row("envelopes, max node pair (both ways)", tr.get("maxEnvelopesPerTickUnorderedPair"), "per tick",
                verdict(tg.get("envelopesPerTickPerUnorderedPair")));
        t.row("heartbeat items per directed pair", tr.get("heartbeatItemsPerSecondPerDirectedPair"), "per second", "");
        t.row("raft messages per directed pair", tr.get("raftMessagesPerSecondPerDirectedPair"), "per second", "");
        t.row("group ticks", en.get("groupTicksPerSecond"), "per second", "");
        t.row("awake / quiesced replicas at end", en.get("awakeReplicasAtEnd") + " / " + en.get("quiescedReplicasAtEnd"),
                "replicas", "");
        t.row("wakes / elections in window", en.get("wakesInWindow") + " / " + en.get("electionsStartedInWindow"),
                "count", "");
        t.print(out);
        List<Map<String, Object>> top = (List<Map<String, Object>>) heap.getOrDefault("topGrowthByClass", new ArrayList<>());
        if (!top.isEmpty()) {
            out.println("heap growth by class (per replica):");
            TextTable h = new TextTable("class", "bytes/replica", "instances/replica");
            for (Map<String, Object> row : top) {
                h.row(row.get("class"), row.get("bytesPerUnit"), row.get("instancesPerUnit"));
            }
            h.print(out);
        }
    }

    @SuppressWarnings("unchecked")
    static String verdict(Object target) {
        Map<String, Object> t = (Map<String, Object>) target;
        return ((Boolean) t.get("met") ? "met" : "NOT met") + " (<= " + t.get("atMost") + ")";
    }
}
