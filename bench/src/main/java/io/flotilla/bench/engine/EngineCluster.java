package io.flotilla.bench.engine;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.EngineMetrics;
import io.flotilla.engine.EngineRuntime;
import io.flotilla.engine.GroupStateMachine;
import io.flotilla.engine.InMemoryLogStore;
import io.flotilla.engine.InMemoryTransport;
import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * Nodes 1..n in this process, each a {@link NodeEngine} over an {@link InMemoryLogStore} run by
 * its own {@link EngineRuntime} (one ticker, a fixed worker pool), all joined by a direct
 * {@link InMemoryTransport}. Group g has its replicas on consecutive nodes starting at
 * {@code (g % n) + 1} (replica id = node id), and that first node is the one asked to campaign,
 * so leaders spread evenly.
 */
public final class EngineCluster implements AutoCloseable {
    /** Applies nothing: the benchmarks measure the engine, and one shared instance costs no heap per group. */
    private static final GroupStateMachine NOTHING = entry -> { };

    private final int size;
    private final int replicas;
    private final InMemoryTransport transport = InMemoryTransport.direct();
    private final Map<Long, NodeEngine> engines = new TreeMap<>();
    private final Map<Long, InMemoryLogStore> stores = new TreeMap<>();
    private final Map<Long, EngineRuntime> runtimes = new TreeMap<>();
    private final java.util.Set<Long> down = new java.util.TreeSet<>();

    /**
     * @param size     nodes, numbered 1..size
     * @param replicas replicas per group, at most {@code size}
     */
    public EngineCluster(int size, int replicas, LongFunction<EngineConfig> config) {
        if (replicas < 1 || replicas > size) {
            throw new IllegalArgumentException("replicas must be in 1.." + size + ", got " + replicas);
        }
        this.size = size;
        this.replicas = replicas;
        for (long id = 1; id <= size; id++) {
            InMemoryLogStore store = new InMemoryLogStore();
            NodeEngine e = new NodeEngine(config.apply(id), store, transport.senderFor(id));
            transport.register(e);
            engines.put(id, e);
            stores.put(id, store);
            runtimes.put(id, new EngineRuntime(e));
        }
    }

    /** The node whose replica of group {@code g} is asked to campaign. */
    public long homeNode(long g) {
        return (g % size) + 1;
    }

    /** The nodes holding group {@code g}, home node first. */
    public List<Long> nodesOf(long g) {
        List<Long> out = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            out.add((homeNode(g) - 1 + i) % size + 1);
        }
        return out;
    }

    /** Creates groups 1..count (not started: call {@link #start()}), each asked to campaign on its home node. */
    public void createGroups(int count) {
        for (long g = 1; g <= count; g++) {
            List<Long> nodes = nodesOf(g);
            Map<Long, Long> routes = new TreeMap<>();
            long[] voters = new long[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                routes.put(nodes.get(i), nodes.get(i));
                voters[i] = nodes.get(i);
            }
            for (long n : nodes) {
                stores.get(n).bootstrap(g, voters);
                engines.get(n).createGroup(g, n, routes, NOTHING);
            }
            engines.get(homeNode(g)).campaign(g);
        }
    }

    public void start() {
        runtimes.values().forEach(EngineRuntime::start);
    }

    public NodeEngine node(long id) {
        return engines.get(id);
    }

    public Map<Long, NodeEngine> nodes() {
        return engines;
    }

    public int size() {
        return size;
    }

    public boolean isDown(long id) {
        return down.contains(id);
    }

    /** Kills a node: its traffic stops at once, then its threads. */
    public void kill(long id) {
        transport.setDown(id, true);
        down.add(id);
        runtimes.get(id).close();
    }

    /** The live node that leads group {@code g} in its own view, or 0. */
    public long leaderNode(long g) {
        for (long n : nodesOf(g)) {
            if (down.contains(n)) {
                continue;
            }
            NodeEngine.GroupInfo info = engines.get(n).info(g);
            if (info != null && info.role() == StateRole.LEADER) {
                return n;
            }
        }
        return 0;
    }

    /** The highest term any live replica of {@code g} has seen. */
    public long maxTerm(long g) {
        long t = 0;
        for (long n : nodesOf(g)) {
            if (!down.contains(n)) {
                NodeEngine.GroupInfo info = engines.get(n).info(g);
                if (info != null) {
                    t = Math.max(t, info.term());
                }
            }
        }
        return t;
    }

    /** Waits until every group has a leader; scans forward, since a led group rarely loses its leader here. */
    public boolean awaitAllLed(int groups, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        long next = 1;
        while (System.nanoTime() < deadline) {
            while (next <= groups && leaderNode(next) != 0) {
                next++;
            }
            if (next > groups) {
                // Confirm with a full pass: an early group may have changed leader meanwhile.
                long missing = 1;
                while (missing <= groups && leaderNode(missing) != 0) {
                    missing++;
                }
                if (missing > groups) {
                    return true;
                }
                next = missing;
            }
            LockSupport.parkNanos(20_000_000);
        }
        return false;
    }

    /** Waits until every replica is quiesced, noting [ms since start, quiesced replicas] about every second. */
    public boolean awaitAllQuiesced(long replicas, long timeoutMs, List<List<Long>> progress) {
        long start = System.nanoTime();
        long deadline = start + timeoutMs * 1_000_000;
        long lastNote = -1;
        while (System.nanoTime() < deadline) {
            long q = 0;
            for (EngineMetrics.Snapshot s : metrics().values()) {
                q += s.quiescedGroups();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (q == replicas || ms / 1000 != lastNote) {
                progress.add(List.of(ms, q));
                lastNote = ms / 1000;
            }
            if (q == replicas) {
                return true;
            }
            LockSupport.parkNanos(100_000_000);
        }
        return false;
    }

    /** Each live node's counters, by node id. */
    public Map<Long, EngineMetrics.Snapshot> metrics() {
        Map<Long, EngineMetrics.Snapshot> m = new TreeMap<>();
        engines.forEach((id, e) -> {
            if (!down.contains(id)) {
                m.put(id, e.metrics());
            }
        });
        return m;
    }

    @Override
    public void close() {
        runtimes.forEach((id, r) -> {
            if (!down.contains(id)) {
                r.close();
            }
        });
    }
}
