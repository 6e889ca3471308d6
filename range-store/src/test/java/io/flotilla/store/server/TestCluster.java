package io.flotilla.store.server;

import com.google.protobuf.ByteString;
import io.flotilla.engine.Envelope;
import io.flotilla.engine.InMemoryTransport;
import io.flotilla.engine.NodeEngine;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.LocateRequest;
import io.flotilla.transport.proto.LocateResponse;
import io.flotilla.transport.proto.PutRequest;
import io.flotilla.transport.proto.WriteResponse;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flotilla nodes in this JVM, each with its own gRPC server on 127.0.0.1 (an ephemeral port),
 * its own data directory, and clients talking to it over real gRPC. Raft travels either over
 * the gRPC transport or, when a test needs to cut a node off, in memory.
 */
final class TestCluster implements AutoCloseable {
    enum Raft { GRPC, IN_MEMORY }

    private final Path dir;
    private final Raft raft;
    private final long tickMs;
    private final int electionTicks;
    private final int maxInboundBytes;
    private final InMemoryTransport memory = InMemoryTransport.direct();
    private final Map<Long, FlotillaNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private InitialCluster initial;

    private TestCluster(Path dir, Raft raft, long tickMs, int electionTicks, int maxInboundBytes) {
        this.dir = dir;
        this.raft = raft;
        this.tickMs = tickMs;
        this.electionTicks = electionTicks;
        this.maxInboundBytes = maxInboundBytes;
    }

    /** Starts {@code n} nodes (ids 1..n) that form a cluster, and waits until range 1 has a leader. */
    static TestCluster start(Path dir, int n, Raft raft) {
        return start(dir, n, raft, 10, 10, NodeConfig.DEFAULT_MAX_INBOUND_BYTES);
    }

    static TestCluster start(Path dir, int n, Raft raft, long tickMs, int electionTicks, int maxInboundBytes) {
        TestCluster c = new TestCluster(dir, raft, tickMs, electionTicks, maxInboundBytes);
        Map<Long, NodeServer> servers = new TreeMap<>();
        Map<Long, String> members = new TreeMap<>();
        for (long id = 1; id <= n; id++) {
            NodeServer s = NodeServer.bind("127.0.0.1", 0, maxInboundBytes);
            servers.put(id, s);
            members.put(id, s.address());
        }
        c.initial = new InitialCluster(members);
        List<Thread> starts = new ArrayList<>();
        for (long id : servers.keySet()) {
            NodeConfig cfg = c.tune(NodeConfig.initial(id, "127.0.0.1:0", dir.resolve("n" + id), c.initial));
            FlotillaNode node = new FlotillaNode(cfg, c.wiring(), servers.get(id));
            c.nodes.put(id, node);
            Thread t = new Thread(node::start);
            t.start();
            starts.add(t);
        }
        for (Thread t : starts) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        c.awaitLeader(1);
        return c;
    }

    NodeConfig tune(NodeConfig cfg) {
        return cfg.withTiming(tickMs, electionTicks).withMaxInboundBytes(maxInboundBytes)
                .withDrainTimeout(Duration.ofSeconds(2)).withReplicaGcInterval(Duration.ZERO)
                .withPlacement(placement);
    }

    /**
     * Placement is off in these in-process clusters: their tests place replicas by hand and
     * check exactly what they asked for. Placement runs in the multi-process tests.
     */
    private final PlacementOptions placement = PlacementOptions.disabled();


    /** The in-memory Raft network (with {@link Raft#IN_MEMORY}): for cutting nodes off. */
    InMemoryTransport memory() {
        return memory;
    }

    InitialCluster initial() {
        return initial;
    }

    Path dir() {
        return dir;
    }

    /** Starts node {@code id} joining through node {@code via}; it holds no range yet. */
    FlotillaNode join(long id, long via) {
        NodeServer s = NodeServer.bind("127.0.0.1", 0, maxInboundBytes);
        NodeConfig cfg = tune(NodeConfig.joining(id, "127.0.0.1:0", dir.resolve("n" + id), node(via).address()));
        FlotillaNode node = new FlotillaNode(cfg, wiring(), s).start();
        nodes.put(id, node);
        return node;
    }

    RaftWiring wiring() {
        if (raft == Raft.GRPC) {
            return RaftWiring.grpc(FlotillaNode.raftOptions(maxInboundBytes));
        }
        return (clusterId, selfNodeId, selfAddress, book, inbound) -> new RaftWiring.RaftLink() {
            @Override
            public void send(Envelope envelope) {
                memory.senderFor(selfNodeId).send(envelope);
            }

            @Override
            public BindableService service() {
                return null;
            }

            @Override
            public void attach(NodeEngine engine) {
                memory.register(engine);
                memory.setDown(selfNodeId, false);
            }

            @Override
            public void close() {
                memory.setDown(selfNodeId, true);
            }
        };
    }

    FlotillaNode node(long id) {
        FlotillaNode n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    List<Long> ids() {
        return new ArrayList<>(new TreeMap<>(nodes).keySet());
    }

    /** Stops a node gracefully and forgets it. */
    void stop(long id) {
        FlotillaNode n = nodes.remove(id);
        if (n != null) {
            n.close();
        }
    }

    KvGrpc.KvBlockingStub kv(long id) {
        return KvGrpc.newBlockingStub(channel(node(id).address())).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    AdminGrpc.AdminBlockingStub admin(long id) {
        return AdminGrpc.newBlockingStub(channel(node(id).address())).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a).usePlaintext()
                .maxInboundMessageSize(64 << 20).build());
    }

    /** The node leading {@code rangeId}, once there is one (bounded wait). */
    long awaitLeader(long rangeId) {
        long[] leader = {0};
        await(() -> {
            leader[0] = leaderNow(rangeId);
            return leader[0] != 0;
        }, "range " + rangeId + " has a leader");
        return leader[0];
    }

    long leaderNow(long rangeId) {
        for (FlotillaNode n : nodes.values()) {
            var info = n.store() == null ? null : n.store().engine().info(rangeId);
            if (info != null && info.role() == io.flotilla.raft.StateRole.LEADER) {
                return n.nodeId();
            }
        }
        return 0;
    }

    /** Where a key lives and who leads it, asking node {@code via}, until a leader is known. */
    LocateResponse locate(long via, String key) {
        LocateResponse[] r = new LocateResponse[1];
        await(() -> {
            r[0] = kv(via).locate(LocateRequest.newBuilder().setKey(bs(key)).build());
            return !r[0].hasError() && r[0].getLeaderNodeId() != 0;
        }, "a leader for key " + key);
        return r[0];
    }

    /** Writes through the key's leader, retrying while leadership settles. */
    WriteResponse put(String key, String value) {
        return retry(() -> kv(locate(1, key).getLeaderNodeId())
                .put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build()), WriteResponse::getError);
    }

    /** Retries a call while it fails with an error a client would retry (no leader, dropped). */
    static <T> T retry(Supplier<T> call, Function<T, KvError> error) {
        for (int i = 0; i < 200; i++) {
            T r = call.get();
            KvError e = error.apply(r);
            boolean retryable = e.hasNotLeader() || e.hasProposalDropped() || e.hasTimeout();
            if (!retryable) {
                return r;
            }
            LockSupport.parkNanos(50_000_000);
        }
        throw new AssertionError("still failing after 200 attempts");
    }

    static ByteString bs(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** Polls until the condition holds: at most ~20 s, in 10 ms steps. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (io.grpc.StatusRuntimeException e) {
                // not serving yet; poll again
            }
            LockSupport.parkNanos(10_000_000);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Override
    public void close() {
        List<Thread> stops = new ArrayList<>();
        for (FlotillaNode n : nodes.values()) {
            Thread t = new Thread(n::close);
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        nodes.clear();
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
