package io.flotilla.store.server;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.InMemoryTransport;
import io.flotilla.raft.StateRole;
import io.flotilla.store.node.StoreLimits;
import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.KvOp;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.ReplicaDescriptor;
import io.flotilla.store.rocks.StorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica that applies the membership change removing it destroys itself on its node: the
 * group leaves the engine, the range's Raft log and state are deleted, and so is its user data,
 * except where another range on the node owns the span.
 */
class ReplicaDestructionTest {
    private static final RangeDescriptor WHOLE = new RangeDescriptor(1, new byte[0], new byte[0],
            List.of(new ReplicaDescriptor(1, 1, false), new ReplicaDescriptor(2, 2, false),
                    new ReplicaDescriptor(3, 3, false)), 1, 1);

    @TempDir
    Path dir;
    private final InMemoryTransport transport = InMemoryTransport.direct();
    private final Map<Long, StoreNode> nodes = new TreeMap<>();

    private StoreNode open(long id) {
        EngineConfig cfg = EngineConfig.defaults(id).withTickMillis(10).withWorkers(1);
        StoreNode n = new StoreNode(cfg, dir.resolve("n" + id), 8 << 20, StoreLimits.DEFAULT, transport.senderFor(id));
        transport.register(n.engine());
        nodes.put(id, n);
        return n;
    }

    @BeforeEach
    void start() {
        for (long id = 1; id <= 3; id++) {
            open(id).bootstrapRange(WHOLE);
        }
    }

    @AfterEach
    void stop() {
        nodes.values().forEach(StoreNode::close);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private StoreNode leaderOf(long rangeId) {
        for (StoreNode n : nodes.values()) {
            var info = n.engine().info(rangeId);
            if (info != null && info.role() == StateRole.LEADER) {
                return n;
            }
        }
        return null;
    }

    /** Runs an operation on the range's leader, retrying while there is none or it moves (bounded). */
    private <T> T onLeader(long rangeId, java.util.function.Function<StoreNode, CompletableFuture<T>> op) throws Exception {
        for (int i = 0; i < 400; i++) {
            StoreNode l = leaderOf(rangeId);
            if (l != null) {
                try {
                    return op.apply(l).get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof RangeException.NotLeader
                            || e.getCause() instanceof RangeException.ProposalDropped)) {
                        throw e;
                    }
                }
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("range " + rangeId + " never accepted the operation");
    }

    private static void await(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.get() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000);
        }
        assertThat(condition.get()).as(what).isTrue();
    }

    /** Adds node 4 to range {@code rangeId} as a voter, with replica id {@code replicaId}. */
    private void addFour(StoreNode four, long rangeId, long replicaId) throws Exception {
        RangeDescriptor d = leaderOrWait(rangeId).range(rangeId).descriptor();
        Map<Long, Long> routes = new TreeMap<>();
        d.replicas().forEach(r -> routes.put(r.replicaId(), r.nodeId()));
        routes.put(replicaId, 4L);
        four.prepareReplica(rangeId, replicaId, routes);
        onLeader(rangeId, l -> l.addReplica(rangeId, 4, replicaId, false));
        await(() -> four.range(rangeId) != null && four.range(rangeId).descriptor().version() > 0,
                "node 4 installed a snapshot of range " + rangeId);
    }

    private StoreNode leaderOrWait(long rangeId) {
        await(() -> leaderOf(rangeId) != null, "range " + rangeId + " has a leader");
        return leaderOf(rangeId);
    }

    @Test
    void aRemovedReplicaLeavesNoRaftStateAndNoDataOfItsSpan() throws Exception {
        for (int i = 0; i < 20; i++) {
            int k = i;
            onLeader(1, l -> l.put(b("k" + k), b("v" + k)));
        }
        StoreNode four = open(4);
        addFour(four, 1, 104);
        await(() -> four.range(1).get(b("k19")) != null, "node 4 has the data");

        onLeader(1, l -> l.removeReplica(1, 104));
        await(() -> four.range(1) == null, "node 4 dropped the range");
        // The applying thread drops the range from the node, then the group from the engine:
        // this thread may look in between.
        await(() -> !four.engine().hasGroup(1), "the group left the engine");
        await(() -> leaderOf(1).range(1).descriptor().replica(104) == null, "the removal applied on the leader");

        four.close();
        nodes.remove(4L);
        try (StorageEngine db = StorageEngine.open(dir.resolve("n4"))) {
            assertThat(raftStateKeys(db, 1)).as("Raft state of range 1").isEmpty();
            assertThat(dataKeys(db)).as("user data of the destroyed span").isEmpty();
        }
    }

    @Test
    void destroyingAReplicaKeepsTheDataOfAnotherRangeOnTheNode() throws Exception {
        for (String k : List.of("a", "f", "p", "x")) {
            onLeader(1, l -> l.put(b(k), b("v")));
        }
        StoreNode four = open(4);
        addFour(four, 1, 104);
        onLeader(1, l -> l.split(1, b("m"), 2));
        await(() -> four.range(2) != null, "node 4 applied the split");
        await(() -> four.range(2).get(b("x")) != null, "node 4 holds range 2's data");

        onLeader(1, l -> l.removeReplica(1, 104));
        await(() -> four.range(1) == null, "node 4 dropped range 1");
        assertThat(four.range(2)).as("range 2 stays").isNotNull();
        assertThat(four.range(2).get(b("p"))).isEqualTo(b("v"));
        assertThat(four.range(2).get(b("x"))).isEqualTo(b("v"));

        four.close();
        nodes.remove(4L);
        try (StorageEngine db = StorageEngine.open(dir.resolve("n4"))) {
            assertThat(dataKeys(db)).as("only range 2's keys remain").containsExactly("p", "x");
        }
    }

    @Test
    void aNodeOnceRemovedCanBeAddedAgainUnderANewReplicaId() throws Exception {
        onLeader(1, l -> l.put(b("before"), b("1")));
        StoreNode four = open(4);
        addFour(four, 1, 104);
        onLeader(1, l -> l.removeReplica(1, 104));
        await(() -> four.range(1) == null, "node 4 dropped the range");

        onLeader(1, l -> l.put(b("between"), b("2")));
        addFour(four, 1, 105);
        await(() -> four.range(1).get(b("between")) != null, "the new replica caught up");
        assertThat(four.engine().info(1).replicaId()).isEqualTo(105);
        onLeader(1, l -> l.put(b("after"), b("3")));
        await(() -> four.range(1).get(b("after")) != null, "the new replica follows the log");
    }

    private static List<Long> raftStateKeys(StorageEngine db, long group) {
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = db.db().newIterator(db.raftState())) {
            for (it.seek(ByteBuffer.allocate(8).putLong(group).array()); it.isValid(); it.next()) {
                long g = ByteBuffer.wrap(it.key(), 0, 8).getLong();
                if (g != group) {
                    break;
                }
                out.add(g);
            }
        }
        try (RocksIterator it = db.db().newIterator(db.raftLog())) {
            for (it.seek(ByteBuffer.allocate(8).putLong(group).array()); it.isValid(); it.next()) {
                if (ByteBuffer.wrap(it.key(), 0, 8).getLong() != group) {
                    break;
                }
                out.add(group);
            }
        }
        return out;
    }

    private static List<String> dataKeys(StorageEngine db) {
        List<String> out = new ArrayList<>();
        try (RocksIterator it = db.db().newIterator(db.data())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(new String(it.key(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
