package io.flotilla.store.cli;

import io.flotilla.client.FlotillaClient;
import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.admin.ClusterHealth;
import io.flotilla.client.admin.RangeStatusInfo;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.store.launch.LeaderSpread;
import io.flotilla.store.launch.ProcessCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code flotilla demo}: a local cluster of node processes on 127.0.0.1, split into many ranges
 * with leaders spread over the nodes, a short mixed workload, the range and leader table, and
 * then the cluster keeps running for the CLI until Ctrl-C or {@code --duration}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local cluster, split it, run a short workload, keep it up for the CLI.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Node processes (default: ${DEFAULT-VALUE}).")
    int nodes;
    @Option(names = "--ranges", defaultValue = "64", description = "Ranges to split the key space into (default: ${DEFAULT-VALUE}).")
    int ranges;
    @Option(names = "--base-port", defaultValue = "7001",
            description = "Node i listens on 127.0.0.1:(base-port + i - 1) (default: ${DEFAULT-VALUE}); 0 picks free ports.")
    int basePort;
    @Option(names = "--workload-seconds", defaultValue = "10", description = "Length of the mixed workload (default: ${DEFAULT-VALUE}).")
    double workloadSeconds;
    @Option(names = "--clients", defaultValue = "32", description = "Concurrent workload clients (default: ${DEFAULT-VALUE}).")
    int clients;
    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds once the workload is done (default: run until Ctrl-C).")
    Double duration;
    @Option(names = "--dir", description = "Where the nodes keep data and logs (default: a new directory under /tmp).")
    Path dir;
    @Option(names = "--keep", description = "Keep the data directory when stopping.")
    boolean keep;
    @Option(names = "--node-heap", defaultValue = "1g", description = "Each node's -Xmx (default: ${DEFAULT-VALUE}).")
    String nodeHeap;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintStream out = System.out;
        Path base = dir != null ? dir : Files.createTempDirectory("flotilla-demo-");
        long t0 = System.nanoTime();
        out.printf("starting %d nodes on 127.0.0.1 (data and logs in %s) ...%n", nodes, base);
        ProcessCluster cluster = ProcessCluster.start(base, nodes, basePort, List.of(), nodeHeap, Duration.ofSeconds(60));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            shutdown(cluster, base, out);
            stopped.countDown();
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String seeds = String.join(",", cluster.seeds());
        try (FlotillaClient client = FlotillaClient.builder().seeds(cluster.seeds())
                .requestTimeout(Duration.ofSeconds(10)).attemptTimeout(Duration.ofSeconds(2)).build()) {
            AdminClient admin = client.admin();
            awaitLeader(admin, Duration.ofSeconds(60));
            out.printf("cluster up: %s (%.1f s)%n", seeds, (System.nanoTime() - t0) / 1e9);

            long s0 = System.nanoTime();
            long[] splitMicros = split(admin);
            Arrays.sort(splitMicros);
            out.printf("split into %d ranges in %.1f s (%d splits, p50 %.0f ms, max %.0f ms)%n", ranges,
                    (System.nanoTime() - s0) / 1e9, splitMicros.length,
                    DemoWorkload.percentileMillis(splitMicros, 50), DemoWorkload.percentileMillis(splitMicros, 100));

            long l0 = System.nanoTime();
            int moved = LeaderSpread.roundRobin(admin, w -> System.err.println("flotilla: " + w));
            out.printf("spread leaders over the nodes: %d transfers in %.1f s%n", moved, (System.nanoTime() - l0) / 1e9);

            out.printf("workload: %.0f s, %d clients, 50%% get / 45%% put / 5%% scan(10), 16-byte values, %d keys%n",
                    workloadSeconds, clients, DemoWorkload.KEYS);
            DemoWorkload.Result r = DemoWorkload.run(client.sync(), clients, workloadSeconds, 50_000_000L, 1);
            printWorkload(r, out);

            List<RangeStatusInfo> all = admin.listRanges();
            out.println();
            RangeViews.printRanges(all, out);
            out.println();
            RangeViews.printNodes(admin.listNodes(), out);
            ClusterHealth h = admin.clusterHealth();
            out.printf("%n%s: %d ranges, %d nodes up, %d without a leader, %d under-replicated%n",
                    h.healthy() ? "healthy" : "NOT healthy", h.ranges(), h.nodesUp(), h.withoutLeader().size(),
                    h.underReplicated().size());
        }
        out.println();
        out.println("The cluster keeps running. In another terminal:");
        out.println("  bin/flotilla kv put hello world");
        out.println("  bin/flotilla kv get hello");
        out.println("  bin/flotilla kv scan user000100 user000200 --limit 5");
        out.println("  bin/flotilla admin ranges");
        out.println("  bin/flotilla admin split user050001");
        out.println("  bin/flotilla admin transfer-leader <range> <node>");
        out.println("  bin/flotilla admin nodes");
        out.println("  bin/flotilla admin health --json");
        if (basePort != 7001 || nodes != 3) {
            out.println("  (add --cluster " + seeds + ", or export FLOTILLA_CLUSTER=" + seeds + ")");
        }
        out.println(duration == null ? "Ctrl-C stops it." : String.format("Stopping in %.0f s (Ctrl-C stops it sooner).",
                duration));
        out.flush();
        if (duration == null) {
            stopped.await();
        } else {
            if (!stopped.await((long) (duration * 1000), TimeUnit.MILLISECONDS)) {
                Runtime.getRuntime().removeShutdownHook(hook);
                shutdown(cluster, base, out);
            }
        }
        return ExitCodes.OK;
    }

    private void validate() {
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("--nodes must be 1..9, not " + nodes);
        }
        if (ranges < 1 || ranges > DemoWorkload.KEYS) {
            throw new IllegalArgumentException("--ranges must be 1.." + DemoWorkload.KEYS + ", not " + ranges);
        }
        if (basePort != 0 && (basePort < 1024 || basePort > 65535 - nodes)) {
            throw new IllegalArgumentException("--base-port must be 0 or 1024.." + (65535 - nodes) + ", not " + basePort);
        }
        if (!(workloadSeconds >= 0) || clients < 1) {
            throw new IllegalArgumentException("--workload-seconds must be >= 0 and --clients >= 1");
        }
        if (duration != null && !(duration >= 0)) {
            throw new IllegalArgumentException("--duration must be >= 0, not " + duration);
        }
    }

    /** Waits until the cluster answers and the first range has a leader. */
    private static void awaitLeader(AdminClient admin, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                List<RangeStatusInfo> rs = admin.listRanges();
                if (!rs.isEmpty() && rs.stream().allMatch(r -> r.leaderNodeId() != 0)) {
                    return;
                }
            } catch (FlotillaException e) {
                last = e;
            }
            LockSupport.parkNanos(100_000_000);
        }
        throw new IllegalStateException("no leader within " + timeout + (last == null ? "" : ": " + last.getMessage()));
    }

    /** Splits the key space into {@code ranges} even slices of the workload's keys; returns each split's time. */
    private long[] split(AdminClient admin) {
        long[] micros = new long[ranges - 1];
        for (int i = 1; i < ranges; i++) {
            byte[] key = DemoWorkload.key((int) ((long) i * DemoWorkload.KEYS / ranges));
            long t = System.nanoTime();
            admin.split(key);
            micros[i - 1] = (System.nanoTime() - t) / 1000;
        }
        return micros;
    }

    private static void printWorkload(DemoWorkload.Result r, PrintStream out) {
        out.printf("throughput: %.0f ops/s (%d ops in %.1f s)%n", r.opsPerSecond(), r.ops(), r.seconds());
        Table t = new Table("OP", "COUNT", "OPS/S", "P50 MS", "P99 MS", "MAX MS");
        for (Map.Entry<DemoWorkload.Op, long[]> e : r.latenciesMicros().entrySet()) {
            long[] l = e.getValue();
            t.row(e.getKey().name().toLowerCase(), l.length, String.format("%.0f", l.length / r.seconds()),
                    String.format("%.2f", DemoWorkload.percentileMillis(l, 50)),
                    String.format("%.2f", DemoWorkload.percentileMillis(l, 99)),
                    String.format("%.2f", DemoWorkload.percentileMillis(l, 100)));
        }
        t.print(out);
        if (!r.errors().isEmpty()) {
            out.println("errors: " + r.errors());
        }
    }

    private void shutdown(ProcessCluster cluster, Path base, PrintStream out) {
        out.println("stopping the nodes ...");
        cluster.close();
        if (!keep && dir == null) {
            deleteTree(base);
        } else {
            out.println("data and logs kept in " + base);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
