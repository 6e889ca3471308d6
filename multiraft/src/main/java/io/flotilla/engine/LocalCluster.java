package io.flotilla.engine;

import io.flotilla.raft.StateRole;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Several nodes' engines in one process over an {@link InMemoryTransport}, driven
 * deterministically: {@link #tick()} advances every live node's clock by one tick and runs
 * cycles and deliveries until nothing moves. For tests, simulations and benchmarks.
 */
public final class LocalCluster {
    private final Map<Long, NodeEngine> engines = new TreeMap<>();
    private final Map<Long, InMemoryLogStore> stores = new HashMap<>();
    private final Map<Long, EngineConfig> configs = new HashMap<>();
    private final InMemoryTransport transport;
    private final Map<Long, Boolean> alive = new TreeMap<>();
    /** Nodes frozen by {@link #pause}: not alive, but nothing lost. */
    private final java.util.Set<Long> paused = new java.util.TreeSet<>();
    /** What each node hosts, so a restarted node can bring its groups back. */
    private final Map<Long, List<HostedGroup>> hosted = new HashMap<>();
    private long tick;

    private record HostedGroup(long groupId, Map<Long, Long> routes, Function<Long, GroupStateMachine> machines) {
    }

    public LocalCluster(InMemoryTransport transport, List<EngineConfig> nodeConfigs) {
        this.transport = transport;
        for (EngineConfig c : nodeConfigs) {
            InMemoryLogStore store = new InMemoryLogStore();
            stores.put(c.nodeId(), store);
            configs.put(c.nodeId(), c);
            start(c, store);
        }
    }

    /** A deterministic cluster of nodes 1..n with configs from {@code config}. */
    public static LocalCluster of(int n, long seed, LongFunction<EngineConfig> config) {
        List<EngineConfig> cs = new java.util.ArrayList<>();
        for (long id = 1; id <= n; id++) {
            cs.add(config.apply(id).withSeed(seed * 31 + id));
        }
        return new LocalCluster(InMemoryTransport.deterministic(seed), cs);
    }

    private void start(EngineConfig c, InMemoryLogStore store) {
        NodeEngine e = new NodeEngine(c, store, transport.senderFor(c.nodeId()));
        engines.put(c.nodeId(), e);
        transport.register(e);
        transport.setDown(c.nodeId(), false);
        alive.put(c.nodeId(), true);
    }

    public NodeEngine node(long id) {
        return engines.get(id);
    }

    public Map<Long, NodeEngine> nodes() {
        return engines;
    }

    public InMemoryTransport transport() {
        return transport;
    }

    public InMemoryLogStore store(long id) {
        return stores.get(id);
    }

    public boolean isAlive(long id) {
        return alive.get(id);
    }

    /**
     * The live node whose replica of {@code group} leads, or 0. A deposed leader that has not yet
     * heard of its successor may still think it leads; the one with the highest term wins.
     */
    public long leaderNodeOf(long group) {
        long found = 0;
        long term = -1;
        for (NodeEngine e : engines.values()) {
            NodeEngine.GroupInfo i = e.info(group);
            if (isAlive(e.nodeId()) && i != null && i.role() == StateRole.LEADER && i.term() > term) {
                found = e.nodeId();
                term = i.term();
            }
        }
        return found;
    }

    /**
     * Creates a group with replicas on the given nodes (replica id = node id), bootstrapped as
     * voters, with a state machine per replica from {@code stateMachines}.
     */
    public void createGroup(long groupId, List<Long> nodeIds, Function<Long, GroupStateMachine> stateMachines) {
        Map<Long, Long> routes = new TreeMap<>();
        long[] voters = new long[nodeIds.size()];
        for (int i = 0; i < nodeIds.size(); i++) {
            routes.put(nodeIds.get(i), nodeIds.get(i));
            voters[i] = nodeIds.get(i);
        }
        for (long n : nodeIds) {
            stores.get(n).bootstrap(groupId, voters);
            engines.get(n).createGroup(groupId, n, routes, stateMachines.apply(n));
            hosted.computeIfAbsent(n, k -> new java.util.ArrayList<>()).add(new HostedGroup(groupId, routes,
                    stateMachines));
        }
    }

    /** Kills a node: it stops, and its unsynced writes are lost. */
    public void kill(long id) {
        paused.remove(id);
        alive.put(id, false);
        transport.setDown(id, true);
        stores.get(id).crash();
    }

    /**
     * Restarts a killed node: a new engine over what its store kept durable, hosting the same
     * groups with fresh state machines (they re-apply the log from the start).
     */
    public void restart(long id) {
        if (alive.get(id)) {
            throw new IllegalStateException("node " + id + " is running");
        }
        if (paused.contains(id)) {
            throw new IllegalStateException("node " + id + " is paused, not killed: resume it");
        }
        start(configs.get(id), stores.get(id));
        for (HostedGroup h : hosted.getOrDefault(id, List.of())) {
            engines.get(id).createGroup(h.groupId(), id, h.routes(), h.machines().apply(id));
        }
    }

    /**
     * Freezes a running node without losing anything, as a long GC pause or SIGSTOP would: its
     * clock stops, and traffic to and from it is lost, until {@link #resume}.
     */
    public void pause(long id) {
        if (!alive.get(id)) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        paused.add(id);
        alive.put(id, false);
        transport.setDown(id, true);
    }

    /** Unfreezes a paused node: it carries on where it stopped, with its old state. */
    public void resume(long id) {
        if (!paused.remove(id)) {
            throw new IllegalStateException("node " + id + " is not paused");
        }
        alive.put(id, true);
        transport.setDown(id, false);
    }

    public boolean isPaused(long id) {
        return paused.contains(id);
    }

    /**
     * Runs cycles on live nodes and delivers due envelopes until quiet (bounded). A node whose
     * store fails a sync ({@link InMemoryLogStore.PowerFailure}) is killed on the spot.
     */
    public void settle() {
        for (int round = 0; round < 100_000; round++) {
            boolean moved = false;
            for (Map.Entry<Long, NodeEngine> e : engines.entrySet()) {
                if (alive.get(e.getKey()) && e.getValue().hasWork()) {
                    try {
                        e.getValue().runUntilIdle();
                    } catch (InMemoryLogStore.PowerFailure crashed) {
                        // The node died inside a sync (see InMemoryLogStore.crashAtNextSync).
                        kill(e.getKey());
                    }
                    moved = true;
                }
            }
            if (transport.deliverDue(tick) > 0) {
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new IllegalStateException("cluster did not settle at tick " + tick);
    }

    /** One tick on every live node, then settle. */
    public void tick() {
        tick++;
        for (Map.Entry<Long, NodeEngine> e : engines.entrySet()) {
            if (alive.get(e.getKey())) {
                e.getValue().tick();
            }
        }
        settle();
    }

    public void tick(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    public long currentTick() {
        return tick;
    }
}
