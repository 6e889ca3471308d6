package io.flotilla.store.node;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.EngineRuntime;
import io.flotilla.engine.Envelope;
import io.flotilla.engine.MessageSender;
import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.StateRole;
import io.flotilla.store.log.RocksLogStore;
import io.flotilla.store.range.ApplyResult;
import io.flotilla.store.range.KvCommand;
import io.flotilla.store.range.KvOp;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.RangeStateMachine;
import io.flotilla.store.range.ReplicaDescriptor;
import io.flotilla.store.rocks.Keys;
import io.flotilla.store.rocks.StorageEngine;
import org.rocksdb.RocksIterator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Flotilla node: the node's RocksDB, the multi-raft engine over it, and the ranges it
 * holds, with a KV API whose errors say what a client must do next.
 */
public final class StoreNode implements AutoCloseable {
    private final long nodeId;
    private final StorageEngine storage;
    private final RocksLogStore logStore;
    private final NodeEngine engine;
    private final EngineRuntime runtime;
    private final StoreLimits limits;
    private final Map<Long, RangeStateMachine> ranges = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<byte[], Long> rangeByStart = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
    /** At most two snapshot installs at a time on this node, at most 256 MiB/s together. */
    private final io.flotilla.store.range.SnapshotInstallLimiter installLimiter =
            new io.flotilla.store.range.SnapshotInstallLimiter(2, 256L << 20);
    private final long clientId;
    private final AtomicLong seq = new AtomicLong();

    /**
     * Opens the node's data in {@code dataDir} and starts every range found there.
     *
     * @param cacheBytes bound of the node-wide cache of recent log entries
     */
    public StoreNode(EngineConfig config, Path dataDir, long cacheBytes, StoreLimits limits, MessageSender sender) {
        this.nodeId = config.nodeId();
        this.limits = limits;
        this.storage = StorageEngine.open(dataDir);
        this.logStore = new RocksLogStore(storage, cacheBytes);
        this.engine = new NodeEngine(config, logStore, sender);
        // A client id per incarnation: sequence numbers restart at 1 with it.
        this.clientId = (nodeId << 40) ^ System.nanoTime();
        for (long rangeId : persistedRanges()) {
            start(RangeStateMachine.load(storage, logStore, rangeId));
        }
        this.runtime = new EngineRuntime(engine).start();
    }

    private List<Long> persistedRanges() {
        List<Long> ids = new ArrayList<>();
        try (RocksIterator it = storage.db().newIterator(storage.raftState())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length == 9 && k[8] == Keys.DESCRIPTOR) {
                    ids.add(java.nio.ByteBuffer.wrap(k, 0, 8).getLong());
                }
            }
        }
        return ids;
    }

    private void start(RangeStateMachine sm) {
        RangeDescriptor d = sm.descriptor();
        ReplicaDescriptor me = d.replicaOnNode(nodeId);
        if (me == null) {
            throw new IllegalStateException("range " + d.rangeId() + " has no replica on node " + nodeId);
        }
        Map<Long, Long> routes = new TreeMap<>();
        for (ReplicaDescriptor r : d.replicas()) {
            routes.put(r.replicaId(), r.nodeId());
        }
        ranges.put(d.rangeId(), sm);
        if (d.version() > 0) {
            rangeByStart.put(d.startKey(), d.rangeId());
        }
        sm.onSplit(child -> onSplitApplied(d.rangeId(), child));
        sm.onRestore(restored -> rangeByStart.put(restored.startKey(), restored.rangeId()));
        logStore.storage(d.rangeId()).setSnapshotSource(sm::createSnapshot);
        sm.setInstallLimiter(installLimiter);
        engine.createGroup(d.rangeId(), me.replicaId(), routes, sm);
    }

    /**
     * Prepares an empty replica of an existing range here, before the range's leader adds it:
     * it knows only who the members are, and the leader's snapshot brings everything else.
     *
     * @param routes every member replica (including this one) to its node
     */
    public void prepareReplica(long rangeId, long replicaId, Map<Long, Long> routes) {
        if (ranges.containsKey(rangeId)) {
            throw new IllegalArgumentException("range " + rangeId + " already exists on node " + nodeId);
        }
        List<ReplicaDescriptor> replicas = new ArrayList<>();
        routes.forEach((replica, node) -> replicas.add(new ReplicaDescriptor(node, replica, replica == replicaId)));
        // Version 0 and an empty span: it owns no keys until the snapshot says which.
        byte[] nowhere = {(byte) 0xff, (byte) 0xff};
        start(RangeStateMachine.uninitialized(storage, logStore,
                new RangeDescriptor(rangeId, nowhere, nowhere, replicas, 0, 0)));
    }

    /** Adds a replica (as a learner, or a voter) on {@code targetNode}; run on the range's leader. */
    public CompletableFuture<Long> addReplica(long rangeId, long targetNode, long replicaId, boolean learner) {
        RangeStateMachine sm = ranges.get(rangeId);
        if (sm == null) {
            return CompletableFuture.failedFuture(new RangeException.RangeNotFound(rangeId));
        }
        try {
            requireLeader(sm);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        var change = learner ? io.flotilla.raft.message.ConfChangeSingle.addLearner(replicaId)
                : io.flotilla.raft.message.ConfChangeSingle.addVoter(replicaId);
        return engine.changeMembership(rangeId, io.flotilla.raft.message.ConfChange.of(change),
                Map.of(replicaId, targetNode));
    }

    /** Removes a replica from the range; run on the range's leader. */
    public CompletableFuture<Long> removeReplica(long rangeId, long replicaId) {
        RangeStateMachine sm = ranges.get(rangeId);
        if (sm == null) {
            return CompletableFuture.failedFuture(new RangeException.RangeNotFound(rangeId));
        }
        try {
            requireLeader(sm);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return engine.changeMembership(rangeId,
                io.flotilla.raft.message.ConfChange.of(io.flotilla.raft.message.ConfChangeSingle.remove(replicaId)),
                Map.of());
    }

    /**
     * A split of {@code parentId} applied here: the child starts now. The replica that leads the
     * parent campaigns for the child at once, so the child does not wait an election timeout;
     * its peers vote as soon as they apply the same split (the engine holds early votes).
     */
    private void onSplitApplied(long parentId, RangeDescriptor child) {
        start(RangeStateMachine.load(storage, logStore, child.rangeId()));
        NodeEngine.GroupInfo parent = engine.info(parentId);
        if (parent != null && parent.role() == StateRole.LEADER) {
            engine.campaign(child.rangeId());
        }
    }

    /**
     * Splits range {@code rangeId} at {@code splitKey} into itself and a new range
     * {@code newRangeId}; completes once the split applied here (the leader).
     */
    public CompletableFuture<ApplyResult> split(long rangeId, byte[] splitKey, long newRangeId) {
        RangeStateMachine sm = ranges.get(rangeId);
        try {
            if (sm == null) {
                throw new RangeException.RangeNotFound(rangeId);
            }
            checkKey(splitKey);
            if (!sm.descriptor().isValidSplitKey(splitKey)) {
                throw new RangeException.InvalidArgument("split key " + new String(splitKey,
                        java.nio.charset.StandardCharsets.UTF_8) + " is not strictly inside " + sm.descriptor());
            }
            if (newRangeId <= 0 || ranges.containsKey(newRangeId)) {
                throw new RangeException.InvalidArgument("range id " + newRangeId + " is invalid or taken");
            }
            requireLeader(sm);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long s = seq.incrementAndGet();
        CompletableFuture<ApplyResult> result = sm.awaitResult(clientId, s);
        engine.propose(rangeId, new io.flotilla.store.range.SplitCommand(clientId, s, newRangeId, splitKey).encode())
                .whenComplete((index, err) -> {
                    if (err != null) {
                        sm.forget(clientId, s);
                        result.completeExceptionally(new RangeException.ProposalDropped(String.valueOf(err.getMessage())));
                    }
                });
        return result.thenCompose(r -> r.error() != null ? CompletableFuture.failedFuture(r.error())
                : CompletableFuture.completedFuture(r));
    }

    /** Creates a brand-new range here (every replica's node does the same before it starts). */
    public void bootstrapRange(RangeDescriptor d) {
        if (ranges.containsKey(d.rangeId())) {
            throw new IllegalArgumentException("range " + d.rangeId() + " already exists on node " + nodeId);
        }
        start(RangeStateMachine.bootstrap(storage, logStore, d));
    }

    public long nodeId() {
        return nodeId;
    }

    public NodeEngine engine() {
        return engine;
    }

    /** Hands an envelope from a peer to the engine. */
    public void receive(Envelope envelope) {
        engine.receive(envelope);
    }

    public List<RangeDescriptor> descriptors() {
        List<RangeDescriptor> out = new ArrayList<>();
        for (RangeStateMachine sm : ranges.values()) {
            out.add(sm.descriptor());
        }
        out.sort((a, b) -> Arrays.compareUnsigned(a.startKey(), b.startKey()));
        return out;
    }

    /** The first index still in the range's log here (earlier ones were truncated). */
    public long firstLogIndex(long rangeId) {
        return logStore.storage(rangeId).firstIndex();
    }

    public RangeStateMachine range(long rangeId) {
        return ranges.get(rangeId);
    }

    /** The range here that holds {@code key}. */
    public RangeStateMachine rangeFor(byte[] key) {
        var e = rangeByStart.floorEntry(key);
        RangeStateMachine sm = e == null ? null : ranges.get(e.getValue());
        if (sm == null || !sm.descriptor().contains(key)) {
            throw new RangeException.KeyNotInRange(key, sm == null ? emptyDescriptor() : sm.descriptor());
        }
        return sm;
    }

    private static RangeDescriptor emptyDescriptor() {
        return new RangeDescriptor(0, new byte[0], new byte[0], List.of(), 0, 0);
    }

    // ---------------------------------------------------------------- writes

    public CompletableFuture<ApplyResult> put(byte[] key, byte[] value) {
        return write(List.of(new KvOp.Put(key, value)));
    }

    public CompletableFuture<ApplyResult> delete(byte[] key) {
        return write(List.of(new KvOp.Delete(key)));
    }

    public CompletableFuture<ApplyResult> compareAndSet(byte[] key, byte[] expected, byte[] value) {
        return write(List.of(new KvOp.CompareAndSet(key, expected, value)));
    }

    /** Applies {@code ops} atomically; all keys must lie in one range. */
    public CompletableFuture<ApplyResult> write(List<KvOp> ops) {
        // Concurrent callers share this node: no session, or a later-numbered write applied first
        // would make an earlier one look like a retry and drop it after acknowledging it.
        return write(KvCommand.NO_SESSION, seq.incrementAndGet(), ops);
    }

    /**
     * A write routed by a client that believes range {@code rangeId} is at {@code version}: if
     * the range split since (or is not here), it gets {@link RangeException.EpochNotMatch} with
     * the descriptors to route by now (or {@link RangeException.RangeNotFound}), and nothing
     * changes.
     */
    public CompletableFuture<ApplyResult> write(long rangeId, long version, long client, long requestSeq,
                                                List<KvOp> ops) {
        RangeStateMachine sm = ranges.get(rangeId);
        if (sm == null) {
            return CompletableFuture.failedFuture(new RangeException.RangeNotFound(rangeId));
        }
        RangeDescriptor d = sm.descriptor();
        if (d.version() != version) {
            List<RangeDescriptor> current = new ArrayList<>();
            for (RangeDescriptor other : descriptors()) {
                // The range as it is, and the ranges split off it since (a split's child starts
                // after its parent and carries a newer version): together they hold the span the
                // client routed by.
                if (other.rangeId() == rangeId || (other.version() > version
                        && Arrays.compareUnsigned(other.startKey(), d.startKey()) >= 0)) {
                    current.add(other);
                }
            }
            return CompletableFuture.failedFuture(new RangeException.EpochNotMatch(
                    "range " + rangeId + " is at version " + d.version() + ", not " + version, current));
        }
        return write(client, requestSeq, ops);
    }

    /**
     * A client's write, identified by (client, seq): retrying the same pair never applies it
     * twice. A client keeps one request outstanding per client id (Raft thesis §6.3); client
     * {@link KvCommand#NO_SESSION} opts out of deduplication. Fails with a
     * {@link RangeException} that says what to do next.
     */
    public CompletableFuture<ApplyResult> write(long client, long requestSeq, List<KvOp> ops) {
        RangeStateMachine sm;
        try {
            validate(ops);
            sm = rangeFor(ops.get(0).key());
            for (KvOp op : ops) {
                boolean inside = op instanceof KvOp.DeleteRange r
                        ? sm.descriptor().containsSpan(r.key(), r.end()) : sm.descriptor().contains(op.key());
                if (!inside) {
                    throw new RangeException.KeyNotInRange(op.key(), sm.descriptor());
                }
            }
            requireLeader(sm);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long rangeId = sm.descriptor().rangeId();
        CompletableFuture<ApplyResult> result = sm.awaitResult(client, requestSeq);
        engine.propose(rangeId, new KvCommand(client, requestSeq, ops).encode()).whenComplete((index, err) -> {
            if (err != null) {
                sm.forget(client, requestSeq);
                Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                result.completeExceptionally(cause instanceof ProposalDroppedException pd
                        ? new RangeException.ProposalDropped(pd.getMessage()) : cause);
            }
        });
        return result.thenCompose(r -> r.error() != null ? CompletableFuture.failedFuture(r.error())
                : CompletableFuture.completedFuture(r));
    }

    private void requireLeader(RangeStateMachine sm) {
        NodeEngine.GroupInfo info = engine.info(sm.descriptor().rangeId());
        if (info == null || info.role() != StateRole.LEADER) {
            throw new RangeException.NotLeader(sm.descriptor().rangeId(), info == null ? 0 : info.leaderNode());
        }
    }

    private void validate(List<KvOp> ops) {
        if (ops.isEmpty()) {
            throw new RangeException.InvalidArgument("a write needs at least one operation");
        }
        if (ops.size() > limits.maxBatchOps()) {
            throw new RangeException.ResourceExhausted(ops.size() + " operations in one batch; the limit is "
                    + limits.maxBatchOps());
        }
        long bytes = 0;
        for (KvOp op : ops) {
            checkKey(op.key());
            bytes += op.key().length;
            byte[] value = op instanceof KvOp.Put p ? p.value() : op instanceof KvOp.CompareAndSet c ? c.value() : null;
            if (op instanceof KvOp.Put p && p.value() == null) {
                throw new RangeException.InvalidArgument("a put needs a value");
            }
            if (value != null) {
                if (value.length > limits.maxValueBytes()) {
                    throw new RangeException.ResourceExhausted("value of " + value.length + " bytes; the limit is "
                            + limits.maxValueBytes());
                }
                bytes += value.length;
            }
        }
        if (bytes > limits.maxBatchBytes()) {
            throw new RangeException.ResourceExhausted("batch of " + bytes + " bytes; the limit is " + limits.maxBatchBytes());
        }
    }

    private void checkKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new RangeException.InvalidArgument("keys must not be empty");
        }
        if (key.length > limits.maxKeyBytes()) {
            throw new RangeException.ResourceExhausted("key of " + key.length + " bytes; the limit is "
                    + limits.maxKeyBytes());
        }
    }

    // ---------------------------------------------------------------- reads

    /** A linearizable read of one key (null if absent), confirmed through ReadIndex. */
    public CompletableFuture<byte[]> get(byte[] key) {
        RangeStateMachine sm;
        try {
            checkKey(key);
            sm = rangeFor(key);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return readPoint(sm).thenApply(i -> sm.get(key));
    }

    /** A linearizable scan of {@code [start, end)} within the range holding {@code start}. */
    public CompletableFuture<List<byte[][]>> scan(byte[] start, byte[] end, int limit) {
        RangeStateMachine sm;
        try {
            checkKey(start);
            if (limit <= 0) {
                throw new RangeException.InvalidArgument("scan limit must be positive");
            }
            sm = rangeFor(start);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return readPoint(sm).thenApply(i -> sm.scan(start, end, limit));
    }

    private CompletableFuture<Long> readPoint(RangeStateMachine sm) {
        return engine.readIndex(sm.descriptor().rangeId()).exceptionallyCompose(err -> {
            Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
            if (cause instanceof ProposalDroppedException pd) {
                return CompletableFuture.failedFuture(new RangeException.NotLeader(sm.descriptor().rangeId(),
                        0));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    @Override
    public void close() {
        runtime.close();
        storage.close();
    }
}
