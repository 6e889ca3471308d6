package io.flotilla.raft.testing;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A group of replicas on a perfect, manually driven network: messages wait in {@link #inFlight()}
 * until delivered, and can be dropped by partition or filter. Used by rule tests and scripted
 * scenarios; the randomized simulation has its own faulty network.
 */
public final class TestCluster {
    private final Map<Long, TestNode> nodes = new TreeMap<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final Set<Long> isolated = new HashSet<>();
    private final Set<List<Long>> cut = new HashSet<>();
    private Predicate<Message> dropFilter = m -> false;

    /** A cluster of voters 1..n whose configs come from {@code customize}. */
    public static TestCluster of(int n, Consumer<RaftConfig.Builder> customize) {
        TestCluster c = new TestCluster();
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
        }
        for (long id : ids) {
            c.add(id, MemoryLogStorage.withVoters(ids), customize);
        }
        return c;
    }

    public static TestCluster of(int n) {
        return of(n, b -> { });
    }

    /** Adds a replica with the given storage (e.g. an empty one for a node about to join). */
    public TestNode add(long id, MemoryLogStorage storage, Consumer<RaftConfig.Builder> customize) {
        RaftConfig.Builder b = RaftConfig.builder(id);
        customize.accept(b);
        TestNode n = new TestNode(b.build(), storage);
        nodes.put(id, n);
        return n;
    }

    public TestNode node(long id) {
        TestNode n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    public Map<Long, TestNode> nodes() {
        return nodes;
    }

    public List<Message> inFlight() {
        return inFlight;
    }

    // ---------------------------------------------------------------- faults

    public void isolate(long id) {
        isolated.add(id);
    }

    /** Cuts both directions between the two nodes. */
    public void cut(long a, long b) {
        cut.add(List.of(Math.min(a, b), Math.max(a, b)));
    }

    /** Splits the cluster: no traffic between the two sides. */
    public void partition(Set<Long> side) {
        for (long a : nodes.keySet()) {
            for (long b : nodes.keySet()) {
                if (side.contains(a) && !side.contains(b)) {
                    cut(a, b);
                }
            }
        }
    }

    public void heal() {
        isolated.clear();
        cut.clear();
        dropFilter = m -> false;
    }

    /** Drops every message matching {@code filter} until {@link #heal()}. */
    public void dropIf(Predicate<Message> filter) {
        dropFilter = filter;
    }

    boolean blocked(Message m) {
        return isolated.contains(m.from()) || isolated.contains(m.to())
                || cut.contains(List.of(Math.min(m.from(), m.to()), Math.max(m.from(), m.to())))
                || dropFilter.test(m) || !nodes.containsKey(m.to());
    }

    // ---------------------------------------------------------------- driving

    public void tick(long id, int times) {
        for (int i = 0; i < times; i++) {
            node(id).node().tick();
        }
    }

    public void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            for (TestNode n : nodes.values()) {
                n.node().tick();
            }
        }
    }

    public void campaign(long id) {
        node(id).node().campaign();
    }

    public void propose(long id, String data) {
        node(id).node().propose(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Collects every node's Ready output into the in-flight queue. */
    public boolean processReady() {
        boolean any = false;
        for (TestNode n : nodes.values()) {
            while (n.handleReady(inFlight::add)) {
                any = true;
            }
        }
        return any;
    }

    /** Delivers every in-flight message once (dropping blocked ones); returns how many were delivered. */
    public int deliverAll() {
        List<Message> batch = new ArrayList<>(inFlight);
        inFlight.clear();
        int delivered = 0;
        for (Message m : batch) {
            if (blocked(m)) {
                continue;
            }
            nodes.get(m.to()).node().step(m);
            delivered++;
        }
        return delivered;
    }

    /** Runs Ready handling and delivery until nothing moves; bounded so a livelock fails loudly. */
    public void stabilize() {
        for (int round = 0; round < 10_000; round++) {
            boolean moved = processReady();
            if (inFlight.isEmpty() && !moved) {
                return;
            }
            deliverAll();
        }
        throw new IllegalStateException("cluster did not stabilize within 10000 rounds");
    }

    /** The leader with the highest term, or 0 when no node is leader. */
    public long leader() {
        long leader = 0;
        long term = -1;
        for (TestNode n : nodes.values()) {
            if (n.node().raft().role() == StateRole.LEADER && n.node().raft().term() > term) {
                leader = n.id();
                term = n.node().raft().term();
            }
        }
        return leader;
    }

    /** Elects {@code id} by campaigning and stabilizing. */
    public void elect(long id) {
        campaign(id);
        stabilize();
        if (node(id).node().raft().role() != StateRole.LEADER) {
            throw new IllegalStateException(id + " did not win: " + node(id));
        }
    }
}
