package io.flotilla.bench.load;

import io.flotilla.bench.engine.BenchArgs;
import io.flotilla.bench.load.keys.KeyDistribution;
import io.flotilla.bench.load.workload.OperationMix;
import io.flotilla.bench.load.workload.Preset;
import io.flotilla.bench.load.workload.ValueSizes;
import io.flotilla.bench.load.workload.WorkloadSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The command line of {@code bench load}, checked: every bad value is an
 * {@link IllegalArgumentException} naming the flag (exit code 2).
 *
 * @param clusterOrNull   seeds of a running cluster; null to start one on loopback
 * @param target          operations per second for an open loop; 0 for a closed loop
 */
record LoadOptions(List<String> clusterOrNull, int nodes, int ranges, String nodeHeap, Path dir, WorkloadSpec spec,
                   int threads, int loadThreads, double seconds, long maxOps, double target, boolean load,
                   double loadSeconds, Duration timeout, long seed, Path out, Path hlog, Path plot, boolean progress) {

    static final Set<String> FLAGS = Set.of("cluster", "nodes", "ranges", "node-heap", "dir", "workload",
            "read", "update", "insert", "scan", "rmw", "distribution", "record-count", "value-bytes", "max-scan-length",
            "key-order", "threads", "load-threads", "seconds", "max-ops", "target", "load", "load-seconds", "timeout",
            "seed", "out", "hlog", "plot", "progress");

    static final String USAGE = """
            usage: bin/flotilla bench load [--cluster=HOST:PORT,...] [--workload=A] [--threads=32] [--seconds=30] ...
              cluster:  --cluster=HOST:PORT,...  a running cluster (default: start --nodes=3 node processes on
                        127.0.0.1, split into --ranges=16 ranges, leaders spread; --node-heap=1g, --dir=PATH)
              workload: --workload=A|B|C|D|E|F (YCSB presets; default A)
                        --read= --update= --insert= --scan= --rmw=  proportions replacing the preset's mix
                        --distribution=uniform|zipfian|latest (default: the preset's)
                        --record-count=100000  --value-bytes=1000 (or MIN-MAX)  --max-scan-length=100
                        --key-order=hashed|ordered
              load:     --threads=32  --seconds=30  --max-ops=50000000
                        --target=OPS_PER_SECOND  open loop at this rate, latency from the intended start
                        (default 0: closed loop)
              phases:   --load=true (write the records first)  --load-threads=THREADS  --load-seconds=600
              other:    --timeout=10 (seconds per request)  --seed=1  --progress=true
              output:   --out=bench/results/load.json  --hlog=OUT with .hlog  --plot=OUT with .svg
            exit codes: 0 done, 1 failed, 2 bad command line, 4 the cluster did not answer""";

    /** Flags that may stand alone (a bare flag means true), so they never take the next word. */
    private static final Set<String> SWITCHES = Set.of("load", "progress");

    static LoadOptions parse(String[] argv) {
        BenchArgs a = BenchArgs.parse(joinSeparateValues(argv), FLAGS);
        List<String> cluster = a.has("cluster")
                ? Arrays.stream(a.string("cluster", "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : null;
        if (cluster != null) {
            if (cluster.isEmpty()) {
                throw new IllegalArgumentException("--cluster needs HOST:PORT[,HOST:PORT...]");
            }
            for (String s : cluster) {
                if (!s.matches("[^\\s:]+:\\d{1,5}")) {
                    throw new IllegalArgumentException("--cluster: '" + s + "' is not HOST:PORT");
                }
            }
        }
        Preset preset = Preset.parse(a.string("workload", "A"));
        boolean custom = Stream.of("read", "update", "insert", "scan", "rmw").anyMatch(a::has);
        OperationMix mix = custom
                ? new OperationMix(dbl(a, "read", 0), dbl(a, "update", 0), dbl(a, "insert", 0), dbl(a, "scan", 0),
                        dbl(a, "rmw", 0))
                : preset.mix();
        KeyDistribution distribution = a.has("distribution") ? KeyDistribution.parse(a.string("distribution", ""))
                : preset.distribution();
        String order = a.string("key-order", "hashed");
        if (!order.equals("hashed") && !order.equals("ordered")) {
            throw new IllegalArgumentException("--key-order must be hashed or ordered, got '" + order + "'");
        }
        WorkloadSpec spec = new WorkloadSpec(custom ? "custom" : preset.name(), mix, distribution,
                a.longValue("record-count", 100_000), ValueSizes.parse(a.string("value-bytes", "1000")),
                a.integer("max-scan-length", 100), order.equals("hashed"));
        int threads = a.integer("threads", 32);
        positive("threads", threads, 4096);
        int loadThreads = a.integer("load-threads", threads);
        positive("load-threads", loadThreads, 4096);
        int nodes = a.integer("nodes", 3);
        positive("nodes", nodes, 9);
        int ranges = a.integer("ranges", 16);
        positive("ranges", ranges, 4096);
        double seconds = dbl(a, "seconds", 30);
        if (!(seconds > 0 && seconds <= 86_400)) {
            throw new IllegalArgumentException("--seconds must be in (0, 86400], got " + seconds);
        }
        long maxOps = a.longValue("max-ops", 50_000_000);
        if (maxOps < 1) {
            throw new IllegalArgumentException("--max-ops must be at least 1, got " + maxOps);
        }
        double target = dbl(a, "target", 0);
        if (!(target >= 0 && target <= 10_000_000)) {
            throw new IllegalArgumentException("--target must be 0 (closed loop) or an ops/s rate up to 10M, got "
                    + target);
        }
        double loadSeconds = dbl(a, "load-seconds", 600);
        double timeout = dbl(a, "timeout", 10);
        if (!(loadSeconds > 0) || !(timeout > 0 && timeout <= 3600)) {
            throw new IllegalArgumentException("--load-seconds and --timeout must be positive (timeout <= 3600)");
        }
        Path out = Path.of(a.string("out", "bench/results/load.json"));
        String base = out.toString().endsWith(".json")
                ? out.toString().substring(0, out.toString().length() - ".json".length()) : out.toString();
        return new LoadOptions(cluster, nodes, ranges, a.string("node-heap", "1g"),
                a.has("dir") ? Path.of(a.string("dir", "")) : null, spec, threads, loadThreads, seconds, maxOps, target,
                a.bool("load", true), loadSeconds, Duration.ofMillis((long) (timeout * 1000)), a.longValue("seed", 1),
                out, Path.of(a.string("hlog", base + ".hlog")), Path.of(a.string("plot", base + ".svg")),
                a.bool("progress", true));
    }

    /**
     * Accepts {@code --cluster HOST:PORT} as well as {@code --cluster=HOST:PORT}: the kv and admin
     * commands take the spaced form, and a user who types it here should not get an error.
     */
    static String[] joinSeparateValues(String[] argv) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.startsWith("--") && !arg.contains("=") && !SWITCHES.contains(arg.substring(2))
                    && i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                out.add(arg + "=" + argv[++i]);
            } else {
                out.add(arg);
            }
        }
        return out.toArray(new String[0]);
    }

    private static void positive(String flag, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException("--" + flag + " must be 1.." + max + ", got " + value);
        }
    }

    private static double dbl(BenchArgs a, String key, double def) {
        String s = a.string(key, null);
        try {
            return s == null ? def : Double.parseDouble(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + s + "'");
        }
    }
}
