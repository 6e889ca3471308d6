package io.flotilla.store.server;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.Envelope;
import io.flotilla.store.node.StoreLimits;
import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.ReplicaDescriptor;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.JoinRequest;
import io.flotilla.transport.proto.JoinResponse;
import io.flotilla.transport.proto.NodeAddress;
import io.flotilla.transport.raft.AddressBook;
import io.flotilla.transport.raft.RaftTransportOptions;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One Flotilla node, wired: its data directory and identity, the store and engine, the Raft
 * network, and one gRPC server serving Kv, Admin and RaftTransport. {@link NodeMain} runs one
 * per process; tests run several in one JVM.
 *
 * <p>Forming a cluster: on a first start with an initial cluster, every listed node
 * bootstraps range 1 over the whole key space with one voter per listed node (replica id =
 * node id); with {@code join}, an empty node asks a member for the cluster id and addresses
 * and starts with no ranges (an operator then adds replicas to it). The node id and cluster id
 * are written to the data directory on the first start; later starts check them and refuse
 * another node's or another cluster's data.</p>
 *
 * <p>{@link #close()} stops gracefully: it hands the leaders here to other voters (bounded by
 * the drain timeout), then stops the server, the Raft network and the store.</p>
 */
public final class FlotillaNode implements AutoCloseable {
    private static final long ENTRY_CACHE_BYTES = 64L << 20;
    private static final Duration JOIN_RETRY_FOR = Duration.ofSeconds(30);

    private final NodeConfig config;
    private final RaftWiring wiring;
    private final Logger log;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean draining;

    private NodeServer server;
    private AddressBook book;
    private PeerClients peers;
    private RaftWiring.RaftLink link;
    private volatile StoreNode store;
    private NodeContext ctx;
    private ReplicaGc gc;
    private long clusterId;
    private String selfAddress;
    private ExecutorService responses;
    private ExecutorService adminWorkers;
    private ScheduledExecutorService housekeeping;
    private PlacementLoop placement;

    /** A node that binds its own server and talks Raft over gRPC. */
    public FlotillaNode(NodeConfig config) {
        this(config, RaftWiring.grpc(raftOptions(config.maxInboundBytes())), null);
    }

    /**
     * A node with the given Raft network and, optionally, a server already bound (so that tests
     * can learn every node's port before any node starts).
     */
    public FlotillaNode(NodeConfig config, RaftWiring wiring, NodeServer server) {
        this.config = config;
        this.wiring = wiring;
        this.server = server;
        this.log = LoggerFactory.getLogger("flotilla.n" + config.nodeId());
    }

    /** The transport's sizes, scaled down if the server accepts smaller messages than their defaults. */
    static RaftTransportOptions raftOptions(int maxInboundBytes) {
        RaftTransportOptions d = RaftTransportOptions.defaults();
        int envelope = Math.min(d.maxEnvelopeBytes(), maxInboundBytes / 2);
        int chunk = Math.min(d.snapshotChunkBytes(), maxInboundBytes / 4);
        return d.withMaxEnvelopeBytes(envelope).withSnapshotChunkBytes(chunk).withMaxInboundMessageBytes(maxInboundBytes);
    }

    /**
     * Starts the node; returns once it serves.
     *
     * @throws IllegalArgumentException  for a bad configuration
     * @throws DataDirRefusedException   for a data directory of another node or cluster
     */
    public FlotillaNode start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("node " + config.nodeId() + " was started already");
        }
        try {
            doStart();
        } catch (RuntimeException e) {
            shutdown(false);
            throw e;
        }
        return this;
    }

    private void doStart() {
        config.validate();
        DataDir dir = new DataDir(config.dataDir());
        DataDir.Identity stored = dir.identity();
        if (stored == null && !dir.isEmpty()) {
            throw new DataDirRefusedException("the data directory " + config.dataDir() + " is not empty and holds no"
                    + " Flotilla node identity; refusing to use it");
        }
        if (stored != null && stored.nodeId() != config.nodeId()) {
            throw new DataDirRefusedException("the data directory " + config.dataDir() + " belongs to node "
                    + stored.nodeId() + ", not node " + config.nodeId());
        }
        if (server == null) {
            server = NodeServer.bind(config.listenHost(), config.listenPort(), config.maxInboundBytes());
        }
        selfAddress = config.advertise() != null ? config.advertise() : advertised(server);
        book = new AddressBook();
        book.put(config.nodeId(), selfAddress);
        peers = new PeerClients(book, config.maxInboundBytes());
        clusterId = formCluster(stored);
        if (stored != null && stored.clusterId() != clusterId) {
            throw new DataDirRefusedException("the data directory " + config.dataDir() + " belongs to cluster "
                    + Long.toUnsignedString(stored.clusterId()) + ", but this node was started for cluster "
                    + Long.toUnsignedString(clusterId) + " (a changed --initial-cluster changes the derived id; pass"
                    + " --cluster-id=" + Long.toUnsignedString(stored.clusterId()) + " if only addresses changed)");
        }
        if (stored == null) {
            dir.writeIdentity(new DataDir.Identity(config.nodeId(), clusterId, false));
        }
        mergeKnown(dir.peers());
        book.addListener((id, address) -> persistPeers(dir));
        persistPeers(dir);

        PeerLiveness liveness = new PeerLiveness();
        link = wiring.open(clusterId, config.nodeId(), selfAddress, book, envelope -> receive(envelope, liveness));
        EngineConfig engine = EngineConfig.defaults(config.nodeId()).withTickMillis(config.tickMillis())
                .withElectionTick(config.electionTicks());
        store = new StoreNode(engine, dir.db(), ENTRY_CACHE_BYTES, StoreLimits.DEFAULT, link);
        link.attach(store.engine());
        if (config.initialCluster() != null && (stored == null || !stored.bootstrapped())) {
            if (store.descriptors().isEmpty()) {
                store.bootstrapRange(initialRange(config.initialCluster()));
                log.info("bootstrapped range 1 over the whole key space with voters on nodes {}",
                        config.initialCluster().members().keySet());
            }
            dir.writeIdentity(new DataDir.Identity(config.nodeId(), clusterId, true));
        }
        startServices(liveness, new NodeDecisions(dir));
        log.info("node {} of cluster {} serving at {} ({} ranges, peers {})", config.nodeId(),
                Long.toUnsignedString(clusterId), selfAddress, store.rangeIds().size(), book.all());
    }

    private void receive(Envelope envelope, PeerLiveness liveness) {
        liveness.heard(envelope.fromNode(), System.currentTimeMillis());
        StoreNode s = store;
        if (s != null) {
            s.receive(envelope);
        }
    }

    private void startServices(PeerLiveness liveness, NodeDecisions decisions) {
        responses = Executors.newFixedThreadPool(2, threads("flotilla-kv-" + config.nodeId()));
        adminWorkers = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256),
                threads("flotilla-admin-" + config.nodeId()));
        ((ThreadPoolExecutor) adminWorkers).allowCoreThreadTimeOut(true);
        housekeeping = Executors.newSingleThreadScheduledExecutor(threads("flotilla-housekeeping-" + config.nodeId()));
        RangeLoad load = new RangeLoad(System::currentTimeMillis);
        LocalRanges local = new LocalRanges(store, load, () -> draining, decisions, config.dataDir(),
                config.placement().labels());
        ClusterSurvey survey = new ClusterSurvey(config.nodeId(), book, peers, local::report, liveness,
                System::currentTimeMillis);
        ctx = new NodeContext(store, clusterId, book, peers, survey, liveness, local,
                config.tickMillis() * config.electionTicks(), System::currentTimeMillis, log);
        Membership membership = new Membership(ctx, adminWorkers);
        gc = new ReplicaGc(ctx, membership, Duration.ofMinutes(1));
        KvService kv = new KvService(store, book, load, survey, responses, KvService.Settings.DEFAULT, log);
        RangeOperations operations = new RangeOperations(ctx, new RangeIdAllocator(store));
        AdminStates adminStates = new AdminStates(ctx, decisions);
        PlacementOptions po = config.placement();
        // One thread runs the driver; the operators' steps (which wait on Raft) run beside it,
        // at most as many at once as the cluster-wide operator limit lets start.
        placement = new PlacementLoop(ctx, operations, decisions, adminStates, po,
                Executors.newSingleThreadScheduledExecutor(threads("flotilla-placement-" + config.nodeId())),
                operatorPool(po.maxClusterWide() + 1));
        AdminService admin = new AdminService(ctx, operations, new ClusterReports(ctx), membership,
                new PlacementAdmin(ctx, placement, adminStates), new PlacementSettings(ctx, placement, decisions),
                adminStates, adminWorkers);
        if (link.service() != null) {
            server.register(link.service());
        }
        server.register(kv);
        server.register(admin, Forwarding.interceptor());
        server.ready();
        placement.start();
        long every = config.replicaGcInterval().toMillis();
        if (every > 0) {
            housekeeping.scheduleWithFixedDelay(this::collectQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The cluster id: given, derived from the initial cluster, or learned by joining; peers go into the book. */
    private long formCluster(DataDir.Identity stored) {
        InitialCluster initial = config.initialCluster();
        if (initial != null) {
            if (stored == null && !initial.members().containsKey(config.nodeId())) {
                throw new IllegalArgumentException("node " + config.nodeId() + " is not listed in --initial-cluster "
                        + initial.canonical() + "; a node that is not in it joins with --join");
            }
            Map<Long, String> members = new java.util.TreeMap<>(initial.members());
            members.remove(config.nodeId());
            mergeKnown(members);
            return config.clusterId() != 0 ? config.clusterId() : initial.derivedClusterId();
        }
        long expected = config.clusterId() != 0 ? config.clusterId() : stored == null ? 0 : stored.clusterId();
        JoinResponse r = join(expected, stored == null ? JOIN_RETRY_FOR : Duration.ZERO);
        if (r == null) {
            // A restart need not reach the member it first joined through: it knows the cluster.
            log.warn("could not reach {} to refresh the cluster's addresses; going on with the ones known", config.join());
            return stored.clusterId();
        }
        if (r.hasError()) {
            throw new DataDirRefusedException("joining through " + config.join() + " was refused: "
                    + r.getError().getMessage());
        }
        if (expected != 0 && r.getClusterId() != expected) {
            throw new DataDirRefusedException("the member at " + config.join() + " belongs to cluster "
                    + Long.toUnsignedString(r.getClusterId()) + ", not " + Long.toUnsignedString(expected));
        }
        List<NodeAddress> others = new ArrayList<>();
        for (NodeAddress a : r.getNodesList()) {
            if (a.getNodeId() != config.nodeId()) {
                others.add(a);
            }
        }
        book.merge(others);
        return r.getClusterId();
    }

    /** Calls Join on the member, retrying for up to {@code retryFor} while it is not reachable yet. */
    private JoinResponse join(long clusterIdExpected, Duration retryFor) {
        JoinRequest req = JoinRequest.newBuilder().setClusterId(clusterIdExpected)
                .setNode(NodeAddress.newBuilder().setNodeId(config.nodeId()).setAddress(selfAddress)).build();
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoff = 100;
        while (true) {
            try {
                AdminGrpc.AdminBlockingStub stub = peers.admin(config.join()).withDeadlineAfter(5, TimeUnit.SECONDS);
                return stub.join(req);
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                    if (retryFor.isZero()) {
                        return null;
                    }
                    throw new IllegalStateException("could not join through " + config.join() + ": " + e.getStatus());
                }
                log.info("join through {} failed ({}); retrying", config.join(), e.getStatus().getCode());
                LockSupport.parkNanos(backoff * 1_000_000);
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    private void mergeKnown(Map<Long, String> addresses) {
        List<NodeAddress> list = new ArrayList<>();
        addresses.forEach((id, a) -> {
            if (id != config.nodeId()) {
                list.add(NodeAddress.newBuilder().setNodeId(id).setAddress(a).build());
            }
        });
        book.merge(list);
    }

    private synchronized void persistPeers(DataDir dir) {
        if (!closed.get()) {
            dir.writePeers(book.all());
        }
    }

    /** Range 1 as every node of the initial cluster creates it: the whole key space, one voter per node. */
    static RangeDescriptor initialRange(InitialCluster initial) {
        List<ReplicaDescriptor> replicas = new ArrayList<>();
        for (long id : initial.members().keySet()) {
            replicas.add(new ReplicaDescriptor(id, id, false));
        }
        return new RangeDescriptor(1, new byte[0], new byte[0], replicas, 1, 1);
    }

    private String advertised(NodeServer s) {
        String host = config.listenHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            throw new IllegalArgumentException("--listen " + config.listen() + " binds every interface; say with"
                    + " --advertise which address peers reach this node at");
        }
        return s.address();
    }

    private void collectQuietly() {
        try {
            collectRemovedReplicas();
        } catch (Exception e) {
            log.debug("replica GC pass failed: {}", e.toString());
        }
    }

    /** Destroys replicas here that their ranges removed without this node hearing of it; returns their range ids. */
    public List<Long> collectRemovedReplicas() throws Exception {
        return gc.sweep(Duration.ofSeconds(2));
    }

    public long nodeId() {
        return config.nodeId();
    }

    public long clusterId() {
        return clusterId;
    }

    /** host:port peers and clients reach this node at. */
    public String address() {
        return selfAddress;
    }

    public StoreNode store() {
        return store;
    }

    public AddressBook addressBook() {
        return book;
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Hands every range led here to another voter, bounded by the drain timeout; the node keeps
     * serving and reports itself draining from now on. A range counts as handed away once this
     * node follows a leader elsewhere. Returns how many ranges (with another voter) were not.
     */
    public int drain() {
        draining = true;
        int left = Drain.run(ctx, config.drainTimeout());
        if (left > 0) {
            log.warn("{} ranges are not yet led elsewhere: their transfers did not complete in {}", left,
                    config.drainTimeout());
        } else {
            log.info("drained: no range with another voter is led here");
        }
        return left;
    }

    /** Stops gracefully: leaders handed away first (bounded), then the server, the network and the store. */
    @Override
    public void close() {
        shutdown(true);
    }

    private void shutdown(boolean drain) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining = true;
        if (drain && ctx != null) {
            drain();
        }
        if (placement != null) {
            placement.close();
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (adminWorkers != null) {
            adminWorkers.shutdownNow();
        }
        if (link != null) {
            link.close();
        }
        if (store != null) {
            store.close();
        }
        if (peers != null) {
            peers.close();
        }
        if (responses != null) {
            responses.shutdownNow();
        }
        if (store != null) {
            log.info("node {} stopped", config.nodeId());
        }
    }

    /** Threads that idle out: a node that does not run the driver keeps none. */
    private ExecutorService operatorPool(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("flotilla-operator-" + config.nodeId()));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
