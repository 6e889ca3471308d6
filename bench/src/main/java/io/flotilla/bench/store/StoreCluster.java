package io.flotilla.bench.store;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.EngineMetrics;
import io.flotilla.engine.InMemoryTransport;
import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;
import io.flotilla.store.node.StoreLimits;
import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.ReplicaDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Three {@link StoreNode}s in this process, each with its own RocksDB under one directory,
 * joined by a direct in-memory transport. Ranges 1..R split a 2-byte key space evenly, each with
 * a replica on every node; range r is asked to campaign on node {@code ((r - 1) % 3) + 1}, so
 * leaders spread evenly.
 */
final class StoreCluster implements AutoCloseable {
    static final int NODES = 3;
    /** The key space the ranges split: keys are ordered by their first two bytes. */
    static final int KEY_SPACE = 1 << 16;

    private final Path dir;
    private final boolean deleteOnClose;
    private final InMemoryTransport transport = InMemoryTransport.direct();
    private final Map<Long, StoreNode> nodes = new TreeMap<>();
    private int ranges;

    StoreCluster(Path dir, boolean deleteOnClose, long tickMillis, int workers, long cacheBytes) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        for (long id = 1; id <= NODES; id++) {
            EngineConfig cfg = EngineConfig.defaults(id).withTickMillis(tickMillis).withWorkers(workers);
            StoreNode n = new StoreNode(cfg, dir.resolve("n" + id), cacheBytes, StoreLimits.DEFAULT,
                    transport.senderFor(id));
            transport.register(n.engine());
            nodes.put(id, n);
        }
    }

    /** The first key of the {@code k}-th of {@code count} equal slices of the key space. */
    static byte[] boundary(int k, int count) {
        int v = (int) ((long) k * KEY_SPACE / count);
        return new byte[]{(byte) (v >>> 8), (byte) v};
    }

    /** The 2-byte prefix of a key as a number, 0 for the empty key. */
    static int prefix(byte[] key) {
        int hi = key.length > 0 ? key[0] & 0xff : 0;
        int lo = key.length > 1 ? key[1] & 0xff : 0;
        return hi << 8 | lo;
    }

    /** Creates ranges 1..count on every node and asks each range's home node to campaign. */
    void bootstrap(int count) {
        this.ranges = count;
        List<ReplicaDescriptor> replicas = new ArrayList<>();
        for (long id = 1; id <= NODES; id++) {
            replicas.add(new ReplicaDescriptor(id, id, false));
        }
        for (int r = 1; r <= count; r++) {
            byte[] start = r == 1 ? new byte[0] : boundary(r - 1, count);
            byte[] end = r == count ? new byte[0] : boundary(r, count);
            RangeDescriptor d = new RangeDescriptor(r, start, end, replicas, 1, 1);
            for (StoreNode n : nodes.values()) {
                n.bootstrapRange(d);
            }
        }
        for (int r = 1; r <= count; r++) {
            nodes.get(homeNode(r)).engine().campaign(r);
        }
    }

    static long homeNode(long rangeId) {
        return ((rangeId - 1) % NODES) + 1;
    }

    int ranges() {
        return ranges;
    }

    Map<Long, StoreNode> nodes() {
        return nodes;
    }

    /** The node whose replica of {@code rangeId} leads in its own view, or null. */
    StoreNode leaderOf(long rangeId) {
        for (StoreNode n : nodes.values()) {
            NodeEngine.GroupInfo info = n.engine().info(rangeId);
            if (info != null && info.role() == StateRole.LEADER) {
                return n;
            }
        }
        return null;
    }

    /** Waits (bounded) until each of ranges {@code 1..count} has a leader. */
    boolean awaitLeaders(int count, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        int next = 1;
        while (System.nanoTime() < deadline) {
            while (next <= count && leaderOf(next) != null) {
                next++;
            }
            if (next > count) {
                return true;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return false;
    }

    Map<Long, Long> leadersPerNode() {
        Map<Long, Long> m = new TreeMap<>();
        nodes.keySet().forEach(id -> m.put(id, 0L));
        for (long r = 1; r <= ranges; r++) {
            StoreNode l = leaderOf(r);
            if (l != null) {
                m.merge(l.nodeId(), 1L, Long::sum);
            }
        }
        return m;
    }

    Map<Long, EngineMetrics.Snapshot> metrics() {
        Map<Long, EngineMetrics.Snapshot> m = new TreeMap<>();
        nodes.forEach((id, n) -> m.put(id, n.engine().metrics()));
        return m;
    }

    @Override
    public void close() {
        // Cut every node off first, so no node delivers into one whose database is closing.
        nodes.keySet().forEach(id -> transport.setDown(id, true));
        for (StoreNode n : nodes.values()) {
            n.close();
        }
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir, e);
            }
        }
    }
}
