package io.flotilla.bench.store;

import io.flotilla.bench.engine.BenchArgs;
import io.flotilla.bench.engine.ProcessCpu;
import io.flotilla.bench.engine.ResultFile;
import io.flotilla.bench.engine.TextTable;
import io.flotilla.engine.EngineMetrics;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Range-store write throughput: 3 StoreNodes in this process (real RocksDB each, direct
 * in-memory transport, 100 ms ticks), R ranges splitting a 2-byte key space evenly with leaders
 * spread, and N closed-loop client threads putting random keys (16-byte values) through each
 * range's leader. Reports writes/s, latency percentiles, syncs per second and writes per sync
 * (the batching factor), then the latency of splits done one after another on the idle store.
 *
 * <pre>
 * java -cp ... io.flotilla.bench.store.WriteBenchmark [--threads=64] [--seconds=20] [--warmup-seconds=3]
 *     [--max-ops=20000000] [--ranges=48] [--value-bytes=16] [--key-bytes=8] [--splits=20] [--tick-ms=100]
 *     [--workers=N] [--cache-mib=64] [--dir=PATH] [--out=FILE]
 * </pre>
 *
 * Targets: at least 250k writes/s with p99 at most 10 ms; split p99 at most 50 ms.
 */
public final class WriteBenchmark {
    static final Set<String> FLAGS = Set.of("threads", "seconds", "warmup-seconds", "max-ops", "ranges", "value-bytes",
            "key-bytes", "splits", "tick-ms", "workers", "cache-mib", "dir", "seed", "out");
    static final String USAGE = "usage: WriteBenchmark [--threads=64] [--seconds=20] [--warmup-seconds=3] [--max-ops=20000000] [--ranges=48]\n"
            + "    [--value-bytes=16] [--key-bytes=8] [--splits=20] [--tick-ms=100] [--workers=N] [--cache-mib=64]\n"
            + "    [--dir=PATH] [--seed=1] [--out=bench/results/writes.json]";
    static final double WRITES_TARGET = 250_000;
    static final double P99_TARGET_MS = 10;
    static final double SPLIT_P99_TARGET_MS = 50;

    private WriteBenchmark() {
    }

    public static void main(String[] argv) {
        BenchArgs args = BenchArgs.parseOrExit(argv, FLAGS, USAGE);
        Map<String, Object> result = run(args, System.out);
        ResultFile.write(ResultFile.path(args, "writes"), result);
        System.out.println("wrote " + ResultFile.path(args, "writes"));
    }

    /** Runs the benchmark, prints its table and returns the result document. */
    public static Map<String, Object> run(BenchArgs args, PrintStream out) {
        int threads = args.integer("threads", 64);
        int seconds = args.integer("seconds", 20);
        int warmup = args.integer("warmup-seconds", 3);
        long maxOps = args.longValue("max-ops", 20_000_000);
        int ranges = args.integer("ranges", 48);
        int splits = args.integer("splits", 20);
        long tickMs = args.longValue("tick-ms", 100);
        int workers = args.integer("workers", Runtime.getRuntime().availableProcessors());
        long seed = args.longValue("seed", 1);
        if (threads < 1 || seconds < 1 || seconds > 3600 || maxOps < 1 || ranges < 1 || ranges > 4096 || splits < 0) {
            throw new IllegalArgumentException("--threads, --seconds (<= 3600), --max-ops, --ranges (<= 4096) must be "
                    + "positive, --splits not negative");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "writes");
        result.put("description", "closed-loop puts through range leaders on 3 in-process StoreNodes (RocksDB each, "
                + "direct in-memory transport); then splits one after another on the idle store");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("nodes", StoreCluster.NODES);
        params.put("ranges", ranges);
        params.put("threads", threads);
        params.put("seconds", seconds);
        params.put("warmupSeconds", warmup);
        params.put("maxOps", maxOps);
        params.put("keyBytes", args.integer("key-bytes", 8));
        params.put("valueBytes", args.integer("value-bytes", 16));
        params.put("splits", splits);
        params.put("tickMillis", tickMs);
        params.put("workersPerNode", workers);
        result.put("params", params);
        result.put("hostAtStart", ResultFile.host());

        boolean temp = !args.has("dir");
        Path dir = temp ? tempDir() : Path.of(args.string("dir", ""));
        params.put("dataDir", dir.toString());
        try (StoreCluster cluster = new StoreCluster(dir, temp, tickMs, workers,
                args.longValue("cache-mib", 64) << 20)) {
            long t0 = System.nanoTime();
            cluster.bootstrap(ranges);
            if (!cluster.awaitLeaders(ranges, 60_000)) {
                throw new IllegalStateException("not every range elected a leader within 60 s");
            }
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("bootstrapAndElectMillis", (System.nanoTime() - t0) / 1_000_000);
            setup.put("leadersPerNode", cluster.leadersPerNode());
            result.put("setup", setup);

            WriteLoad load = new WriteLoad(cluster, threads, (int) params.get("keyBytes"), (int) params.get("valueBytes"),
                    maxOps, seed);
            load.start();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
            Map<Long, EngineMetrics.Snapshot> m0 = cluster.metrics();
            ProcessCpu cpu = ProcessCpu.start();
            long start = System.nanoTime();
            load.startRecording();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end && !load.reachedMaxOps()) {
                LockSupport.parkNanos(20_000_000);
            }
            load.stopRecording();
            double wall = (System.nanoTime() - start) / 1e9;
            Map<String, Object> cpuWindow = cpu.stop();
            Map<Long, EngineMetrics.Snapshot> m1 = cluster.metrics();
            WriteLoad.Totals totals = load.stop();
            result.put("load", load(totals, wall));
            result.put("cpu", cpuWindow);
            result.put("raft", raftCounters(m0, m1, wall, totals.ops()));
            result.put("splits", SplitRun.run(cluster, splits));
        }
        result.put("hostAtEnd", ResultFile.host());
        result.put("targets", targets(result));
        print(out, result);
        return result;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("flotilla-writes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> load(WriteLoad.Totals t, double wall) {
        Histogram h = t.latencyUs();
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("writes", t.ops());
        l.put("seconds", wall);
        l.put("writesPerSecond", t.ops() / wall);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", h.getValueAtPercentile(50) / 1000.0);
        lat.put("p90", h.getValueAtPercentile(90) / 1000.0);
        lat.put("p99", h.getValueAtPercentile(99) / 1000.0);
        lat.put("p999", h.getValueAtPercentile(99.9) / 1000.0);
        lat.put("max", h.getMaxValue() / 1000.0);
        lat.put("mean", h.getMean() / 1000.0);
        l.put("latencyMillis", lat);
        l.put("notLeaderRetries", t.notLeader());
        l.put("droppedRetries", t.dropped());
        l.put("timeoutRetries", t.timeouts());
        l.put("failedWrites", t.failed());
        l.put("firstError", t.firstError());
        return l;
    }

    /**
     * Syncs per node: every node holds a replica of every range, so each persists every write
     * once; writes per sync per node = writes x nodes / syncs summed over nodes.
     */
    private static Map<String, Object> raftCounters(Map<Long, EngineMetrics.Snapshot> m0,
                                                    Map<Long, EngineMetrics.Snapshot> m1, double wall, long writes) {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> syncsPerSecond = new LinkedHashMap<>();
        long syncs = 0;
        long cycles = 0;
        long groupsInCycles = 0;
        long envelopes = 0;
        for (long n : m1.keySet()) {
            long s = m1.get(n).syncs() - m0.get(n).syncs();
            syncs += s;
            syncsPerSecond.put(String.valueOf(n), s / wall);
            cycles += m1.get(n).readyCycles() - m0.get(n).readyCycles();
            groupsInCycles += m1.get(n).groupsInCycles() - m0.get(n).groupsInCycles();
            envelopes += m1.get(n).envelopes() - m0.get(n).envelopes();
        }
        r.put("syncsPerSecondByNode", syncsPerSecond);
        r.put("syncsPerSecondPerNode", syncs / wall / m1.size());
        r.put("writesPerSyncPerNode", syncs == 0 ? null : (double) writes * m1.size() / syncs);
        r.put("readyCyclesPerSecondPerNode", cycles / wall / m1.size());
        r.put("groupsPerReadyCycle", cycles == 0 ? null : (double) groupsInCycles / cycles);
        r.put("envelopesPerSecond", envelopes / wall);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> targets(Map<String, Object> r) {
        Map<String, Object> load = (Map<String, Object>) r.get("load");
        Map<String, Object> lat = (Map<String, Object>) load.get("latencyMillis");
        Map<String, Object> splits = (Map<String, Object>) r.get("splits");
        Map<String, Object> t = new LinkedHashMap<>();
        double wps = (double) load.get("writesPerSecond");
        double p99 = (double) lat.get("p99");
        t.put("writesPerSecondAtLeast250k", wps >= WRITES_TARGET);
        t.put("p99AtMost10ms", p99 <= P99_TARGET_MS);
        Object splitP99 = ((Map<String, Object>) splits.get("appliedMillis")).get("p99");
        t.put("splitP99AtMost50ms", splitP99 != null && (double) splitP99 <= SPLIT_P99_TARGET_MS);
        return t;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintStream out, Map<String, Object> r) {
        Map<String, Object> p = (Map<String, Object>) r.get("params");
        Map<String, Object> load = (Map<String, Object>) r.get("load");
        Map<String, Object> lat = (Map<String, Object>) load.get("latencyMillis");
        Map<String, Object> raft = (Map<String, Object>) r.get("raft");
        Map<String, Object> cpu = (Map<String, Object>) r.get("cpu");
        Map<String, Object> sp = (Map<String, Object>) r.get("splits");
        Map<String, Object> spa = (Map<String, Object>) sp.get("appliedMillis");
        Map<String, Object> spl = (Map<String, Object>) sp.get("childLedMillis");
        Map<String, Object> tg = (Map<String, Object>) r.get("targets");
        out.printf("writes: %s ranges on 3 nodes, %s client threads, %s-byte values, %.1f s measured after %s s warmup,"
                        + " load %s -> %s%n", p.get("ranges"), p.get("threads"), p.get("valueBytes"), load.get("seconds"),
                p.get("warmupSeconds"), ((Map<String, Object>) r.get("hostAtStart")).get("loadAverage"),
                ((Map<String, Object>) r.get("hostAtEnd")).get("loadAverage"));
        TextTable t = new TextTable("measure", "value", "unit", "target");
        t.row("throughput", load.get("writesPerSecond"), "writes/s", mark(tg.get("writesPerSecondAtLeast250k"))
                + " (>= 250,000)");
        t.row("latency p50 / p90", String.format("%.2f / %.2f", lat.get("p50"), lat.get("p90")), "ms", "");
        t.row("latency p99", lat.get("p99"), "ms", mark(tg.get("p99AtMost10ms")) + " (<= 10)");
        t.row("latency p99.9 / max", String.format("%.2f / %.2f", lat.get("p999"), lat.get("max")), "ms", "");
        t.row("syncs per node", raft.get("syncsPerSecondPerNode"), "syncs/s", "");
        t.row("writes per sync (per node)", raft.get("writesPerSyncPerNode"), "writes", "");
        t.row("groups per Ready cycle", raft.get("groupsPerReadyCycle"), "groups", "");
        t.row("process CPU", cpu.get("processCpuPercentOfOneCore"), "% of one core", "");
        t.row("  workers / clients / tickers / other", String.format("%.0f / %.0f / %.0f / %.0f",
                cpu.get("workerCpuPercentOfOneCore"), cpu.get("clientCpuPercentOfOneCore"),
                cpu.get("tickerCpuPercentOfOneCore"), cpu.get("otherCpuPercentOfOneCore")), "% of one core", "");
        t.row("  busiest threads", ProcessCpu.topThreadsLine(cpu, 4), "% of one core", "");
        t.row("retries: not leader / dropped / timeout", load.get("notLeaderRetries") + " / " + load.get("droppedRetries")
                + " / " + load.get("timeoutRetries"), "attempts", "");
        t.row("failed writes", load.get("failedWrites"), "writes", "");
        t.row("split applied p50 / p99 / max", String.format("%s / %s / %s", fmt(spa.get("p50")), fmt(spa.get("p99")),
                fmt(spa.get("max"))), "ms", mark(tg.get("splitP99AtMost50ms")) + " (p99 <= 50)");
        t.row("split child led p50 / p99 / max", String.format("%s / %s / %s", fmt(spl.get("p50")), fmt(spl.get("p99")),
                fmt(spl.get("max"))), "ms", "");
        t.row("splits done", sp.get("completed") + " of " + sp.get("requested"), "splits", "");
        t.print(out);
    }

    private static String mark(Object met) {
        return Boolean.TRUE.equals(met) ? "met" : "NOT met";
    }

    private static String fmt(Object ms) {
        return ms == null ? "-" : String.format("%.1f", ((Number) ms).doubleValue());
    }
}
