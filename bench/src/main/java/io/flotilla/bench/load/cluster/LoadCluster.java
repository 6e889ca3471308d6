package io.flotilla.bench.load.cluster;

import io.flotilla.client.FlotillaClient;
import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.admin.RangeStatusInfo;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.store.launch.LeaderSpread;
import io.flotilla.store.launch.ProcessCluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The cluster a load runs against and the client that reaches it: either one given by its
 * addresses (left as it is), or node processes started here on 127.0.0.1 (split into ranges
 * with leaders spread over the nodes, as the demo does, and stopped and deleted on close).
 */
public final class LoadCluster implements AutoCloseable {
    private final ProcessCluster started;
    private final Path startedDir;
    private final FlotillaClient client;
    private final List<String> seeds;

    private LoadCluster(ProcessCluster started, Path startedDir, FlotillaClient client, List<String> seeds) {
        this.started = started;
        this.startedDir = startedDir;
        this.client = client;
        this.seeds = seeds;
    }

    /**
     * Connects to a running cluster and checks that it answers and every range is led.
     *
     * @throws ClusterUnavailable when no node answers within {@code timeout}
     */
    public static LoadCluster connect(List<String> seeds, Duration timeout) {
        FlotillaClient client = client(seeds, timeout);
        try {
            awaitLeaders(client.admin(), timeout);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new LoadCluster(null, null, client, seeds);
    }

    /**
     * Starts {@code nodes} node processes on free loopback ports, waits for a leader, splits the
     * key space at {@code splitKeys} and spreads the leaders.
     */
    public static LoadCluster start(int nodes, List<byte[]> splitKeys, String nodeHeap, Path dirOrNull,
                                    Duration timeout, PrintStream out) {
        Path dir = dirOrNull;
        try {
            dir = dirOrNull != null ? dirOrNull : Files.createTempDirectory("flotilla-load-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the nodes", e);
        }
        long t0 = System.nanoTime();
        ProcessCluster cluster = ProcessCluster.start(dir, nodes, 0, List.of(), nodeHeap, Duration.ofSeconds(60));
        FlotillaClient client = null;
        try {
            client = client(cluster.seeds(), timeout);
            AdminClient admin = client.admin();
            awaitLeaders(admin, Duration.ofSeconds(60));
            for (byte[] key : splitKeys) {
                admin.split(key);
            }
            awaitLeaders(admin, Duration.ofSeconds(60));
            int moved = LeaderSpread.roundRobin(admin, w -> System.err.println("flotilla: " + w));
            out.printf("started %d nodes at %s (data in %s), %d ranges, %d leader transfers, in %.1f s%n", nodes,
                    String.join(",", cluster.seeds()), dir, splitKeys.size() + 1, moved, (System.nanoTime() - t0) / 1e9);
            return new LoadCluster(cluster, dirOrNull == null ? dir : null, client, cluster.seeds());
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            cluster.close();
            throw e;
        }
    }

    public FlotillaClient client() {
        return client;
    }

    public List<String> seeds() {
        return seeds;
    }

    public boolean started() {
        return started != null;
    }

    private static FlotillaClient client(List<String> seeds, Duration timeout) {
        // One attempt may not take the whole request: a dead seed must not cost the deadline.
        Duration attempt = timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2);
        return FlotillaClient.builder().seeds(seeds).requestTimeout(timeout).attemptTimeout(attempt).build();
    }

    private static void awaitLeaders(AdminClient admin, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FlotillaException last = null;
        while (System.nanoTime() < deadline) {
            try {
                List<RangeStatusInfo> ranges = admin.listRanges();
                if (!ranges.isEmpty() && ranges.stream().allMatch(r -> r.leaderNodeId() != 0)) {
                    return;
                }
            } catch (FlotillaException.NodeUnavailable | FlotillaException.DeadlineExceeded e) {
                throw new ClusterUnavailable("no node answered within " + timeout.toSeconds() + " s: "
                        + e.getMessage(), e);
            } catch (FlotillaException e) {
                last = e;
            }
            LockSupport.parkNanos(100_000_000);
        }
        throw new ClusterUnavailable("not every range had a leader within " + timeout.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Closes the client; stops the nodes this started and deletes their directory if it made it. */
    @Override
    public void close() {
        client.close();
        if (started != null) {
            started.close();
            if (startedDir != null) {
                deleteTree(startedDir);
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("flotilla: could not delete " + root + ": " + e.getMessage());
        }
    }
}
