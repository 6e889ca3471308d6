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
import io.flotilla.store.range.UserDataSpans;
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
    private final Object destroyLock = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

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
        long myReplica = me.replicaId();
        sm.onConfChange(next -> {
            // Applied here, a change that removed this replica ends it here (the leader stops
            // talking to a removed replica, so nothing else would).
            if (next.replica(myReplica) == null) {
                destroyReplica(d.rangeId());
            }
        });
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
        // A replica of this range destroyed here earlier may have left Raft state behind (an engine
        // cycle that was already under way when it was removed): the new replica starts clean.
        logStore.remove(rangeId);
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
     * Ends this node's replica of {@code rangeId}: the group leaves the engine, the range's Raft
     * log and state are deleted, and so is its user data, except where another range here owns
     * the span now. Returns false if the range was not here. Safe to call from the applying thread.
     */
    public boolean destroyReplica(long rangeId) {
        RangeStateMachine sm;
        synchronized (destroyLock) {
            sm = ranges.remove(rangeId);
            if (sm == null) {
                return false;
            }
            sm.markDestroyed();
        }
        RangeDescriptor d = sm.descriptor();
        rangeByStart.remove(d.startKey(), rangeId);
        engine.removeGroup(rangeId);
        logStore.remove(rangeId); // idempotent; covers a group the engine no longer had
        if (d.version() > 0) {
            UserDataSpans.deleteOwnedBy(storage, d, descriptors());
        }
        return true;
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
        try {
            RangeDescriptor d = checkEpoch(rangeId, version).descriptor();
            for (KvOp op : ops) {
                // Routed to this range: a key outside it is the client's mistake, not a reason to
                // write to whichever range holds the key here.
                if (op.key() != null && op.key().length > 0 && !d.contains(op.key())) {
                    throw new RangeException.KeyNotInRange(op.key(), d);
                }
            }
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return write(client, requestSeq, ops);
    }

    /**
     * The range {@code rangeId} here, if the client's {@code version} of it is current; else
     * {@link RangeException.EpochNotMatch} with the descriptors to route by now, or
     * {@link RangeException.RangeNotFound}.
     */
    public RangeStateMachine checkEpoch(long rangeId, long version) {
        RangeStateMachine sm = ranges.get(rangeId);
        if (sm == null || sm.descriptor().version() == 0) {
            throw new RangeException.RangeNotFound(rangeId);
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
            throw new RangeException.EpochNotMatch(
                    "range " + rangeId + " is at version " + d.version() + ", not " + version, current);
        }
        return sm;
    }

    /**
     * A client's write, identified by (client, seq): retrying the same pair never applies it
     * twice. A client keeps one request outstanding per client id (Raft thesis §6.3); client
     * {@link KvCommand#NO_SESSION} opts out of deduplication. Fails with a
     * {@link RangeException} that says what to do next.
     */
    public CompletableFuture<ApplyResult> write(long client, long requestSeq, List<KvOp> ops) {
        if (client == KvCommand.NO_SESSION) {
            // Without a session the number only names the waiter: concurrent callers that all
            // pass the same one (say 0) must not share one, so the node numbers them itself.
            requestSeq = seq.incrementAndGet();
        }
        long requestNumber = requestSeq;
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
        CompletableFuture<ApplyResult> result = sm.awaitResult(client, requestNumber);
        engine.propose(rangeId, new KvCommand(client, requestNumber, ops).encode()).whenComplete((index, err) -> {
            if (err != null) {
                sm.forget(client, requestNumber);
                Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                result.completeExceptionally(proposalFailure(rangeId, cause));
            }
        });
        return result.thenCompose(r -> r.error() != null ? CompletableFuture.failedFuture(r.error())
                : CompletableFuture.completedFuture(r));
    }

    /** Why a proposal never reached the log, as a {@link RangeException} a client can act on. */
    private RangeException proposalFailure(long rangeId, Throwable cause) {
        if (cause instanceof RangeException re) {
            return re;
        }
        if (!engine.hasGroup(rangeId)) {
            return new RangeException.RangeNotFound(rangeId); // the replica here was removed meanwhile
        }
        // Dropped by Raft, or overwritten by a new leader's log (IllegalStateException): not applied.
        return new RangeException.ProposalDropped(String.valueOf(cause.getMessage()));
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
        return get(key, ReadMode.LINEARIZABLE);
    }

    /** A read of one key (null if absent) with the given guarantee. */
    public CompletableFuture<byte[]> get(byte[] key, ReadMode mode) {
        RangeStateMachine sm;
        try {
            checkKey(key);
            sm = rangeFor(key);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return readPoint(sm, mode).thenApply(i -> sm.get(key));
    }

    /** A linearizable scan of {@code [start, end)} within the range holding {@code start}. */
    public CompletableFuture<List<byte[][]>> scan(byte[] start, byte[] end, int limit) {
        return scan(start, end, limit, ReadMode.LINEARIZABLE);
    }

    /**
     * A scan of {@code [start, end)} within the range holding {@code start} (an empty start is the
     * beginning of the key space, an empty end its end), at most {@code limit} pairs.
     */
    public CompletableFuture<List<byte[][]>> scan(byte[] start, byte[] end, int limit, ReadMode mode) {
        RangeStateMachine sm;
        try {
            if (start == null || end == null) {
                throw new RangeException.InvalidArgument("scan bounds must not be null");
            }
            if (start.length > limits.maxKeyBytes() || end.length > limits.maxKeyBytes()) {
                throw new RangeException.ResourceExhausted("scan bound longer than " + limits.maxKeyBytes() + " bytes");
            }
            if (end.length > 0 && Arrays.compareUnsigned(end, start) <= 0) {
                throw new RangeException.InvalidArgument("scan end must lie after its start");
            }
            if (limit <= 0) {
                throw new RangeException.InvalidArgument("scan limit must be positive");
            }
            sm = rangeFor(start);
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return readPoint(sm, mode).thenApply(i -> sm.scan(start, end, limit));
    }

    /**
     * The index a read must wait to apply: confirmed by a ReadIndex round, or for
     * {@link ReadMode#LEASE} by the leader's lease where it holds.
     */
    private CompletableFuture<Long> readPoint(RangeStateMachine sm, ReadMode mode) {
        long rangeId = sm.descriptor().rangeId();
        // A lease read skips the heartbeat round while the leader's lease holds (the engine
        // falls back to ReadIndex when it does not): Raft thesis §6.4.1.
        CompletableFuture<Long> index = mode == ReadMode.LEASE ? engine.leaseRead(rangeId) : engine.readIndex(rangeId);
        return index.exceptionallyCompose(err -> {
            Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
            if (cause instanceof ProposalDroppedException) {
                NodeEngine.GroupInfo info = engine.info(rangeId);
                return CompletableFuture.failedFuture(new RangeException.NotLeader(rangeId,
                        info == null ? 0 : info.leaderNode()));
            }
            if (cause instanceof IllegalArgumentException && !engine.hasGroup(rangeId)) {
                return CompletableFuture.failedFuture(new RangeException.RangeNotFound(rangeId));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    // ---------------------------------------------------------------- node-local metadata

    /** Node-local metadata, never replicated, lives under group id 0, which no range uses. */
    private static final long NODE_META_GROUP = 0;

    /** A node-local value stored under {@code kind} (a byte no range key uses there), or null. */
    public byte[] nodeMeta(byte kind) {
        try {
            return storage.db().get(storage.raftState(), Keys.stateKey(NODE_META_GROUP, kind));
        } catch (org.rocksdb.RocksDBException e) {
            throw new io.flotilla.store.rocks.StorageException("cannot read node metadata", e);
        }
    }

    /** Stores a node-local value durably (synced) before returning. */
    public void putNodeMeta(byte kind, byte[] value) {
        try {
            storage.db().put(storage.raftState(), storage.syncWrite(), Keys.stateKey(NODE_META_GROUP, kind), value);
        } catch (org.rocksdb.RocksDBException e) {
            throw new io.flotilla.store.rocks.StorageException("cannot write node metadata", e);
        }
    }

    /** RocksDB's estimate of the bytes of user data in the range's span (files and memtables). */
    public long approximateBytes(long rangeId) {
        RangeStateMachine sm = ranges.get(rangeId);
        if (sm == null || sm.descriptor().version() == 0) {
            return 0;
        }
        RangeDescriptor d = sm.descriptor();
        // Keys are at most maxKeyBytes long, so this bound lies after every key there can be.
        byte[] end = d.endKey().length > 0 ? d.endKey() : endOfKeySpace();
        try (org.rocksdb.Slice from = new org.rocksdb.Slice(d.startKey()); org.rocksdb.Slice to = new org.rocksdb.Slice(end)) {
            long[] sizes = storage.db().getApproximateSizes(storage.data(), List.of(new org.rocksdb.Range(from, to)),
                    org.rocksdb.SizeApproximationFlag.INCLUDE_FILES, org.rocksdb.SizeApproximationFlag.INCLUDE_MEMTABLES);
            return sizes.length == 0 ? 0 : sizes[0];
        }
    }

    private byte[] endOfKeySpace() {
        byte[] end = new byte[limits.maxKeyBytes() + 1];
        Arrays.fill(end, (byte) 0xff);
        return end;
    }

    /** Every range id hosted here, including replicas still waiting for their first snapshot. */
    public java.util.Set<Long> rangeIds() {
        return java.util.Set.copyOf(ranges.keySet());
    }

    public StoreLimits limits() {
        return limits;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            runtime.close();
            storage.close();
        }
    }
}
