package io.flotilla.bench.load;

import io.flotilla.bench.engine.ResultFile;
import io.flotilla.bench.engine.TextTable;
import io.flotilla.bench.load.cluster.ClusterUnavailable;
import io.flotilla.bench.load.cluster.LoadCluster;
import io.flotilla.bench.load.keys.InsertCounter;
import io.flotilla.bench.load.keys.KeyNames;
import io.flotilla.bench.load.report.HistogramLog;
import io.flotilla.bench.load.report.PhaseResult;
import io.flotilla.bench.load.report.ProgressLine;
import io.flotilla.bench.load.report.SvgPlot;
import io.flotilla.bench.load.run.LoadPhase;
import io.flotilla.bench.load.run.RunPhase;
import io.flotilla.bench.load.workload.WorkloadSpec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/flotilla bench load}: a YCSB-style load generator for a Flotilla cluster. It
 * writes the records (load phase), then runs a YCSB A-F preset or a custom mix with N client
 * threads, closed or open loop, and reports per-operation latency (p50 .. max, from the
 * intended start in an open loop), throughput per second, a progress line, the result JSON,
 * an HdrHistogram log and an SVG plot over time. Exit codes: 0 done, 1 failed, 2 bad command
 * line, 4 no node answered.
 */
public final class LoadBenchmark {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 4;

    private LoadBenchmark() {
    }

    public static void main(String[] argv) {
        // Exit explicitly: the client's gRPC threads would otherwise keep the JVM up, and the code matters.
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs the tool; returns its exit code. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (Arrays.asList(argv).contains("--help")) {
            out.println(LoadOptions.USAGE);
            return OK;
        }
        LoadOptions o;
        try {
            o = LoadOptions.parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("flotilla bench load: " + e.getMessage());
            err.println("(bin/flotilla bench load --help lists the flags)");
            return USAGE;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "load");
        result.put("description", "YCSB-style load through the Java client: a load phase writes the records, then "
                + "client threads run the operation mix; latencies in milliseconds per operation type, response time "
                + "measured from each operation's intended start (open loop: coordinated omission corrected)");
        result.put("params", params(o));
        result.put("hostAtStart", ResultFile.host());
        try (LoadCluster cluster = o.clusterOrNull() == null
                ? LoadCluster.start(o.nodes(), splitKeys(o.spec(), o.ranges()), o.nodeHeap(), o.dir(), o.timeout(), out)
                : LoadCluster.connect(o.clusterOrNull(), o.timeout())) {
            LoadBenchmark.<Map<String, Object>>cast(result.get("params")).put("seeds", String.join(",", cluster.seeds()));
            if (o.load()) {
                out.printf("load phase: %,d records of %s bytes, %d threads%n", o.spec().recordCount(),
                        o.spec().valueSizes(), o.loadThreads());
                PhaseResult loaded = new LoadPhase(o.spec(), o.loadThreads(), o.loadSeconds(), o.seed())
                        .run(cluster.client().sync(), o.progress() ? new ProgressLine(out, "load") : null);
                Map<String, Object> l = loaded.toJson(false);
                boolean complete = loaded.completed() == o.spec().recordCount();
                l.put("complete", complete);
                result.put("loadPhase", l);
                if (!complete) {
                    ResultFile.write(o.out(), result);
                    err.printf("flotilla bench load: the load phase wrote %,d of %,d records (%,d failed, %,d not "
                                    + "reached in %.0f s); not running the workload. See %s%n", loaded.completed(),
                            o.spec().recordCount(), loaded.latencies().failedTotal(), loaded.scheduledNotStarted(),
                            o.loadSeconds(), o.out());
                    return FAILED;
                }
            }
            out.printf("run phase: workload %s %s, %s distribution, %d threads, %s, %.0f s%n", o.spec().name(),
                    o.spec().mix().describe(), o.spec().distribution().name().toLowerCase(), o.threads(),
                    o.target() > 0 ? String.format("open loop at %,.0f ops/s", o.target()) : "closed loop",
                    o.seconds());
            PhaseResult run;
            try (HistogramLog log = new HistogramLog(o.hlog(), "flotilla bench load, workload " + o.spec().name(),
                    System.currentTimeMillis())) {
                run = new RunPhase(o.spec(), o.threads(), o.seconds(), o.maxOps(), o.target(), o.seed())
                        .run(cluster.client().sync(), new InsertCounter(o.spec().recordCount()), log,
                                o.progress() ? new ProgressLine(out, "run") : null);
            }
            result.put("run", run.toJson(true));
            result.put("hostAtEnd", ResultFile.host());
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("json", o.out().toString());
            files.put("hlog", o.hlog().toString());
            files.put("plot", o.plot().toString());
            result.put("files", files);
            ResultFile.write(o.out(), result);
            SvgPlot.write(o.plot(), title(o, run), run.collector().seconds());
            print(out, run);
            out.printf("wrote %s, %s, %s%n", o.out(), o.hlog(), o.plot());
            return OK;
        } catch (ClusterUnavailable e) {
            err.println("flotilla bench load: cluster unavailable: " + e.getMessage());
            return UNAVAILABLE;
        } catch (IllegalArgumentException e) {
            err.println("flotilla bench load: " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            err.println("flotilla bench load: failed: " + e);
            return FAILED;
        }
    }

    /**
     * Split points that cut the records' key space evenly: hashed keys spread over all 19-digit
     * numbers below 2^63, ordered keys over 0 .. recordCount.
     */
    static List<byte[]> splitKeys(WorkloadSpec spec, int ranges) {
        KeyNames plain = new KeyNames(false);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i < ranges; i++) {
            long at = spec.hashedKeys() ? (Long.MAX_VALUE / ranges) * i : spec.recordCount() * i / ranges;
            if (at > 0 && (keys.isEmpty() || !Arrays.equals(keys.get(keys.size() - 1), plain.key(at)))) {
                keys.add(plain.key(at));
            }
        }
        return keys;
    }

    private static Map<String, Object> params(LoadOptions o) {
        Map<String, Object> p = new LinkedHashMap<>(o.spec().describe());
        p.put("cluster", o.clusterOrNull() == null
                ? String.format("started: %d node processes on 127.0.0.1, %d ranges", o.nodes(), o.ranges()) : "given");
        p.put("mode", o.target() > 0 ? "open" : "closed");
        p.put("targetOpsPerSecond", o.target() > 0 ? o.target() : null);
        p.put("threads", o.threads());
        p.put("seconds", o.seconds());
        p.put("maxOps", o.maxOps());
        p.put("loadPhase", o.load());
        p.put("loadThreads", o.loadThreads());
        p.put("requestTimeoutSeconds", o.timeout().toMillis() / 1000.0);
        p.put("seed", o.seed());
        p.put("readConsistency", "linearizable");
        return p;
    }

    private static String title(LoadOptions o, PhaseResult run) {
        return String.format("flotilla bench load: workload %s, %s keys, %d threads, %s — %,.0f ops/s, p99 %s ms",
                o.spec().name(), o.spec().distribution().name().toLowerCase(), o.threads(),
                o.target() > 0 ? String.format("open loop %,.0f ops/s", o.target()) : "closed loop",
                run.opsPerSecond(), run.toJson(false).get("responseMillis") instanceof Map<?, ?> m ? m.get("p99") : "-");
    }

    private static void print(PrintStream out, PhaseResult run) {
        Map<String, Object> r = run.toJson(false);
        out.printf("%n%,d operations in %.1f s: %,.0f ops/s; %d failed, %d compare-and-set conflicts, %d reads not "
                        + "found%s%n", run.completed(), run.seconds(), run.opsPerSecond(), run.latencies().failedTotal(),
                run.latencies().casConflicts(), run.latencies().notFound(),
                run.scheduledNotStarted() > 0 ? ", " + run.scheduledNotStarted() + " scheduled but never started" : "");
        TextTable t = new TextTable("operation", "count", "ops/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
                "failed");
        Map<String, Object> byOp = cast(r.get("byOperation"));
        byOp.forEach((op, v) -> {
            Map<String, Object> o = cast(v);
            Map<String, Object> l = cast(o.get("responseMillis"));
            t.row(op, o.get("count"), o.get("opsPerSecond"), l.get("p50"), l.get("p90"), l.get("p99"), l.get("p999"),
                    l.get("max"), o.get("failed"));
        });
        Map<String, Object> all = cast(r.get("responseMillis"));
        t.row("all", run.completed(), run.opsPerSecond(), all.get("p50"), all.get("p90"), all.get("p99"),
                all.get("p999"), all.get("max"), run.latencies().failedTotal());
        t.print(out);
        if (!run.latencies().errorsByKind().isEmpty()) {
            out.println("errors: " + run.latencies().errorsByKind() + " first: " + run.latencies().firstErrorByKind());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
