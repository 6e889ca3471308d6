package io.flotilla.transport.raft;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.EngineRuntime;
import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupStateMachine;
import io.flotilla.engine.InMemoryLogStore;
import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real engines on real threads, each behind its own gRPC server, talking only through
 * {@link GrpcRaftTransport} and {@link RaftTransportService}: many groups elect leaders and
 * commit, and the nodes learn each other's addresses from Hellos.
 */
class EnginesOverGrpcTest {
    private static final long CLUSTER = 2024;
    private static final int NODES = 3;
    private static final int GROUPS = 60;
    private static final Executor RETRY_DELAY = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, RecordingStateMachine> machines = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** Records the commands it applies, so replicas can be compared. */
    private static final class RecordingStateMachine implements GroupStateMachine {
        final List<String> applied = new CopyOnWriteArrayList<>();

        @Override
        public void apply(Entry entry) {
            if (!entry.isConfChange() && entry.data().length > 0) {
                applied.add(new String(entry.data(), StandardCharsets.UTF_8));
            }
        }
    }

    private record Node(long id, NodeEngine engine, AddressBook book, GrpcRaftTransport transport,
                        RaftTransportService service) {
    }

    /** Proposes until some replica accepts it as leader and applies it, or the attempts run out. */
    private static CompletableFuture<Long> proposeUntilApplied(List<Node> nodes, long group, byte[] data,
                                                               int attemptsLeft) {
        NodeEngine target = nodes.get(attemptsLeft % nodes.size()).engine();
        return target.propose(group, data).thenCompose(index -> index > 0
                        ? CompletableFuture.completedFuture(index)
                        : CompletableFuture.<Long>failedFuture(new IllegalStateException("forwarded")))
                .exceptionallyCompose(e -> attemptsLeft == 0 ? CompletableFuture.failedFuture(e)
                        : CompletableFuture.supplyAsync(() -> null, RETRY_DELAY)
                        .thenCompose(x -> proposeUntilApplied(nodes, group, data, attemptsLeft - 1)));
    }

    private static boolean everyGroupHasALeader(List<Node> nodes) {
        for (long g = 1; g <= GROUPS; g++) {
            boolean led = false;
            for (Node n : nodes) {
                NodeEngine.GroupInfo info = n.engine().info(g);
                led |= info != null && info.role() == StateRole.LEADER;
            }
            if (!led) {
                return false;
            }
        }
        return true;
    }

    @Test
    void sixtyGroupsOnThreeEnginesElectLeadersAndCommitOverGrpc() throws Exception {
        // Servers first: each node's address is its server's port. Node 1 knows everyone; nodes 2
        // and 3 know only node 1 and must learn each other from the Hellos node 1 passes on.
        List<AtomicReference<NodeEngine>> engineRefs = new ArrayList<>();
        List<AddressBook> books = new ArrayList<>();
        List<RaftTransportService> services = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (long id = 1; id <= NODES; id++) {
            AtomicReference<NodeEngine> ref = new AtomicReference<>();
            AddressBook book = new AddressBook();
            RaftTransportService service = new RaftTransportService(CLUSTER, id, book, env -> deliver(ref, env),
                    RaftTransportOptions.defaults());
            TestServer server = TestServer.start(0, service);
            toClose.add(server);
            engineRefs.add(ref);
            books.add(book);
            services.add(service);
            addresses.add(server.address());
        }
        for (int i = 0; i < NODES; i++) {
            books.get(0).put(i + 1, addresses.get(i));
        }
        for (int i = 1; i < NODES; i++) {
            books.get(i).put(i + 1, addresses.get(i));
            books.get(i).put(1, addresses.get(0));
        }

        List<Node> nodes = new ArrayList<>();
        for (long id = 1; id <= NODES; id++) {
            int i = (int) id - 1;
            GrpcRaftTransport transport = new GrpcRaftTransport(CLUSTER, id, addresses.get(i), books.get(i),
                    RaftTransportOptions.defaults());
            toClose.add(transport);
            EngineConfig cfg = EngineConfig.defaults(id).withTickMillis(50).withWorkers(1);
            InMemoryLogStore store = new InMemoryLogStore();
            NodeEngine engine = new NodeEngine(cfg, store, transport);
            for (long g = 1; g <= GROUPS; g++) {
                store.bootstrap(g, 1, 2, 3);
                Map<Long, Long> routes = new TreeMap<>(Map.of(1L, 1L, 2L, 2L, 3L, 3L));
                engine.createGroup(g, id, routes,
                        machines.computeIfAbsent(g + "@" + id, k -> new RecordingStateMachine()));
            }
            engineRefs.get(i).set(engine);
            nodes.add(new Node(id, engine, books.get(i), transport, services.get(i)));
        }
        long start = System.nanoTime();
        for (Node n : nodes) {
            toClose.add(new EngineRuntime(n.engine()).start());
        }

        Await.until("every group has a leader", 60_000, () -> everyGroupHasALeader(nodes));
        long led = System.nanoTime();
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
            writes.add(proposeUntilApplied(nodes, g, ("w" + g).getBytes(StandardCharsets.UTF_8), 400));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<Long> w : writes) {
            assertThat(w.join()).isPositive();
        }
        System.out.printf("EnginesOverGrpcTest: %d groups x %d nodes, 50 ms ticks: every group led %.2f s after start,"
                + " every write committed %.2f s after that%n", GROUPS, NODES, (led - start) / 1e9,
                (System.nanoTime() - led) / 1e9);
        // A retried proposal may commit twice (its forwarded first try landed too): that is the
        // client's business. What the transport must give is the same log on every replica.
        Await.until("every replica applied the same commands, its group's write among them", 30_000, () -> {
            for (long g = 1; g <= GROUPS; g++) {
                List<String> first = machines.get(g + "@1").applied;
                for (long n = 1; n <= NODES; n++) {
                    List<String> here = machines.get(g + "@" + n).applied;
                    if (!here.contains("w" + g) || !here.equals(first)) {
                        return false;
                    }
                }
            }
            return true;
        });
        for (Node n : nodes) {
            assertThat(n.book().all()).as("node %d's book", n.id()).hasSize(NODES);
            assertThat(n.service().stats().decodeErrors()).isZero();
            assertThat(n.service().stats().envelopesReceived()).isPositive();
            TransportStats s = n.transport().stats();
            assertThat(s.droppedUnknownNode()).as("node %d sent to nodes it did not know yet", n.id())
                    .isLessThan(1_000);
            for (PeerStats p : s.peers().values()) {
                assertThat(p.envelopesSent()).isPositive();
            }
        }
    }

    private static void deliver(AtomicReference<NodeEngine> ref, Envelope env) {
        NodeEngine e = ref.get();
        if (e != null) {
            e.receive(env);
        }
    }
}
