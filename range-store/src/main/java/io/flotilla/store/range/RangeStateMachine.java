package io.flotilla.store.range;

import io.flotilla.engine.GroupStateMachine;
import io.flotilla.engine.ReplicaRoutes;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.store.log.RaftCodec;
import io.flotilla.store.log.RocksLogStore;
import io.flotilla.store.rocks.Keys;
import io.flotilla.store.rocks.StorageEngine;
import io.flotilla.store.rocks.StorageException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one range on one node: user data in {@code [start, end)} of the node's data
 * column family, the range descriptor, client sessions and the applied index. Applying an
 * entry writes its data changes AND the new applied index in one RocksDB batch, so after a
 * crash Raft resumes exactly after the last applied entry: nothing is lost (the log is synced)
 * and nothing is applied twice. Client sessions make a retried request apply at most once.
 */
public final class RangeStateMachine implements GroupStateMachine {
    private final StorageEngine engine;
    private final RocksLogStore logStore;
    private final long rangeId;
    private volatile RangeDescriptor descriptor;
    private volatile long appliedIndex;
    /** The applied index this incarnation started from, and the first index it applied after it. */
    private final long loadedAppliedIndex;
    private volatile long firstAppliedAfterLoad;
    private final Map<Long, Long> sessions = new HashMap<>();
    private final Map<RequestKey, CompletableFuture<ApplyResult>> waiters = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<RangeDescriptor> splitListener = d -> { };
    private volatile java.util.function.Consumer<RangeDescriptor> restoreListener = d -> { };
    private volatile java.util.function.Consumer<RangeDescriptor> confChangeListener = d -> { };
    /**
     * Set once this replica is destroyed (removed from the range): entries the engine still hands
     * over must not write anything, or they would resurrect state of a range no longer here.
     */
    private volatile boolean destroyed;
    /** Log retention: past {@code truncateAfter} applied entries beyond the first, keep only the last {@code keepEntries}. */
    private volatile SnapshotInstallLimiter installLimiter = SnapshotInstallLimiter.unlimited();
    private volatile long truncateAfter = 10_000;
    private volatile long keepEntries = 1_000;

    /**
     * Every range's log starts after this index (CockroachDB's idea): a replica created empty,
     * to join an existing range, then cannot take entries from index 1 and must be caught up
     * by a snapshot, which carries the configuration it would otherwise never learn.
     */
    public static final long INITIAL_INDEX = 5;
    public static final long INITIAL_TERM = 5;

    private record RequestKey(long clientId, long seq) {
    }

    private RangeStateMachine(StorageEngine engine, RocksLogStore logStore, RangeDescriptor descriptor,
                              long appliedIndex) {
        this.engine = engine;
        this.logStore = logStore;
        this.rangeId = descriptor.rangeId();
        this.descriptor = descriptor;
        this.appliedIndex = appliedIndex;
        this.loadedAppliedIndex = appliedIndex;
    }

    /** The applied index read when this range was loaded. */
    public long loadedAppliedIndex() {
        return loadedAppliedIndex;
    }

    /**
     * The first entry index applied since loading (0 if none): exactly
     * {@code loadedAppliedIndex() + 1} when recovery neither skipped nor repeated an entry.
     */
    public long firstAppliedAfterLoad() {
        return firstAppliedAfterLoad;
    }

    /** Writes a new range's descriptor and initial configuration (its replicas as voters). */
    public static RangeStateMachine bootstrap(StorageEngine engine, RocksLogStore logStore, RangeDescriptor d) {
        List<Long> voters = new ArrayList<>();
        List<Long> learners = new ArrayList<>();
        for (ReplicaDescriptor r : d.replicas()) {
            (r.learner() ? learners : voters).add(r.replicaId());
        }
        try (WriteBatch wb = new WriteBatch()) {
            writeInitialState(engine, logStore, wb, d, new ConfState(voters, learners, List.of(), List.of(), false));
            engine.db().write(engine.syncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot bootstrap range " + d.rangeId(), e);
        }
        return new RangeStateMachine(engine, logStore, d, INITIAL_INDEX);
    }

    /** The Raft and range state of a range that starts now, at {@link #INITIAL_INDEX}. */
    private static void writeInitialState(StorageEngine engine, RocksLogStore logStore, WriteBatch wb, RangeDescriptor d,
                                          ConfState cs) throws RocksDBException {
        long id = d.rangeId();
        wb.put(engine.raftState(), Keys.stateKey(id, Keys.DESCRIPTOR), d.encode());
        logStore.putConfState(wb, id, cs);
        wb.put(engine.raftState(), Keys.stateKey(id, Keys.TRUNCATED), RaftCodec.encodeIndexTerm(INITIAL_INDEX, INITIAL_TERM));
        wb.put(engine.raftState(), Keys.stateKey(id, Keys.HARD_STATE),
                RaftCodec.encodeHardState(new io.flotilla.raft.message.HardState(INITIAL_TERM, 0, INITIAL_INDEX)));
        wb.put(engine.raftState(), Keys.stateKey(id, Keys.APPLIED), RaftCodec.encodeIndexTerm(INITIAL_INDEX, INITIAL_TERM));
    }

    /** How much applied log to keep for followers that are a little behind; the rest is truncated. */
    public void setLogRetention(long truncateAfter, long keepEntries) {
        this.truncateAfter = truncateAfter;
        this.keepEntries = keepEntries;
    }

    /** The node's limit on concurrent snapshot installs and their byte rate. */
    public void setInstallLimiter(SnapshotInstallLimiter limiter) {
        this.installLimiter = limiter;
    }

    /** Called with the descriptor a snapshot installed. */
    public void onRestore(java.util.function.Consumer<RangeDescriptor> listener) {
        this.restoreListener = listener;
    }

    /**
     * Called (on the applying thread) with the descriptor a membership change produced, after it
     * is durable: the node uses it to destroy a replica that the change removed.
     */
    public void onConfChange(java.util.function.Consumer<RangeDescriptor> listener) {
        this.confChangeListener = listener;
    }

    /** From now on this replica applies nothing: its range was removed from this node. */
    public void markDestroyed() {
        destroyed = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Called (on the applying thread) with the new range's descriptor once a split applied. */
    public void onSplit(java.util.function.Consumer<RangeDescriptor> listener) {
        this.splitListener = listener;
    }

    /**
     * A replica about to join an existing range: nothing is known yet but the range id and the
     * replicas; the leader's snapshot brings the descriptor, the data and the configuration.
     */
    public static RangeStateMachine uninitialized(StorageEngine engine, RocksLogStore logStore, RangeDescriptor placeholder) {
        // A replica of this range destroyed here before may have left a copy behind: it is not ours.
        PendingSnapshot.delete(pendingDir(engine), placeholder.rangeId());
        try (WriteBatch wb = new WriteBatch()) {
            wb.put(engine.raftState(), Keys.stateKey(placeholder.rangeId(), Keys.DESCRIPTOR), placeholder.encode());
            engine.db().write(engine.syncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot prepare range " + placeholder.rangeId(), e);
        }
        return new RangeStateMachine(engine, logStore, placeholder, 0);
    }

    /** Where durable copies of snapshots being installed wait ({@link PendingSnapshot}). */
    static java.nio.file.Path pendingDir(StorageEngine engine) {
        return engine.dir().resolve("snapshots");
    }

    /**
     * Loads a range this node already holds, as it was when last applied. A snapshot install
     * that a crash interrupted is done again first; then the log is brought level with the
     * state machine if the crash came before the log recorded the snapshot.
     */
    public static RangeStateMachine load(StorageEngine engine, RocksLogStore logStore, long rangeId) {
        RangeDescriptor d;
        long[] applied;
        try {
            byte[] dBytes = engine.db().get(engine.raftState(), Keys.stateKey(rangeId, Keys.DESCRIPTOR));
            if (dBytes == null) {
                throw new IllegalStateException("range " + rangeId + " has no descriptor");
            }
            d = RangeDescriptor.decode(dBytes);
            byte[] a = engine.db().get(engine.raftState(), Keys.stateKey(rangeId, Keys.APPLIED));
            applied = a == null ? new long[] {0, 0} : RaftCodec.decodeIndexTerm(a);
        } catch (RocksDBException e) {
            throw new StorageException("cannot load range " + rangeId, e);
        }
        RangeStateMachine sm = new RangeStateMachine(engine, logStore, d, applied[0]);
        java.util.Optional<io.flotilla.raft.message.Snapshot> pending = PendingSnapshot.read(pendingDir(engine), rangeId);
        if (pending.isPresent()) {
            sm.restore(pending.get()); // deletes the copy once installed
            applied = new long[] {pending.get().index(), pending.get().term()};
        }
        logStore.catchUpWithStateMachine(rangeId, applied[0], applied[1]);
        return sm;
    }

    public RangeDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    /** Registers interest in the outcome of request (clientId, seq) before it is proposed. */
    public CompletableFuture<ApplyResult> awaitResult(long clientId, long seq) {
        return waiters.computeIfAbsent(new RequestKey(clientId, seq), k -> new CompletableFuture<>());
    }

    /** Forgets a waiter whose proposal failed before it reached the log. */
    public void forget(long clientId, long seq) {
        waiters.remove(new RequestKey(clientId, seq));
    }

    @Override
    public void apply(Entry entry) {
        if (destroyed) {
            return;
        }
        ApplyResult result = null;
        RequestKey request = null;
        SplitOutcome split = null;
        try (WriteBatch wb = new WriteBatch()) {
            if (KvCommand.isKvCommand(entry.data())) {
                KvCommand cmd = KvCommand.decode(entry.data());
                request = new RequestKey(cmd.clientId(), cmd.seq());
                result = applyKv(wb, cmd, entry.index());
            } else if (SplitCommand.isSplit(entry.data())) {
                SplitCommand cmd = SplitCommand.decode(entry.data());
                request = new RequestKey(cmd.clientId(), cmd.seq());
                split = applySplit(wb, cmd);
                result = split != null ? ApplyResult.ok(entry.index())
                        : new ApplyResult(entry.index(), false, null, new RangeException.InvalidArgument(
                        "split key " + RangeDescriptor.printable(cmd.splitKey()) + " is not strictly inside " + descriptor
                                + " or range " + cmd.newRangeId() + " exists"));
            }
            wb.put(engine.raftState(), Keys.stateKey(rangeId, Keys.APPLIED),
                    RaftCodec.encodeIndexTerm(entry.index(), entry.term()));
            // Not synced: the log is, and a crash that loses this batch loses it whole, so the
            // entry is applied again from the log, exactly once.
            engine.db().write(engine.asyncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply entry " + entry.index() + " of range " + rangeId, e);
        }
        if (firstAppliedAfterLoad == 0) {
            firstAppliedAfterLoad = entry.index();
        }
        appliedIndex = entry.index();
        maybeTruncateLog();
        if (split != null) {
            descriptor = split.parent();
            splitListener.accept(split.child());
        }
        if (request != null) {
            CompletableFuture<ApplyResult> w = waiters.remove(request);
            if (w != null) {
                w.complete(result);
            }
        }
    }

    /** The two descriptors a split leaves: the shrunk parent and the new child. */
    private record SplitOutcome(RangeDescriptor parent, RangeDescriptor child) {
    }

    /** Bounds the log: a follower further behind than what is kept gets a snapshot instead. */
    private void maybeTruncateLog() {
        long first = logStore.storage(rangeId).firstIndex();
        if (appliedIndex - first > truncateAfter) {
            logStore.truncate(rangeId, appliedIndex - keepEntries);
        }
    }

    /**
     * Stages a split: the parent shrinks to {@code [start, splitKey)} and its version rises; the
     * child's descriptor and initial Raft state, with the parent's CURRENT replicas, go into the
     * same batch. No user data moves: both ranges own spans of one ordered key space. Returns
     * both descriptors, or null (changing nothing) for a key not strictly inside or a taken range id.
     */
    private SplitOutcome applySplit(WriteBatch wb, SplitCommand split) throws RocksDBException {
        RangeDescriptor d = descriptor;
        if (!d.isValidSplitKey(split.splitKey())
                || engine.db().get(engine.raftState(), Keys.stateKey(split.newRangeId(), Keys.DESCRIPTOR)) != null) {
            return null;
        }
        long version = d.version() + 1;
        RangeDescriptor parent = new RangeDescriptor(d.rangeId(), d.startKey(), split.splitKey(), d.replicas(), version,
                d.confVersion());
        RangeDescriptor child = new RangeDescriptor(split.newRangeId(), split.splitKey(), d.endKey(), d.replicas(),
                version, d.confVersion());
        List<Long> voters = new ArrayList<>();
        List<Long> learners = new ArrayList<>();
        for (ReplicaDescriptor r : d.replicas()) {
            (r.learner() ? learners : voters).add(r.replicaId());
        }
        wb.put(engine.raftState(), Keys.stateKey(d.rangeId(), Keys.DESCRIPTOR), parent.encode());
        writeInitialState(engine, logStore, wb, child, new ConfState(voters, learners, List.of(), List.of(), false));
        // The child inherits the sessions: a request applied here before the split and retried
        // at the child after it must still be recognised as a retry.
        Map<Long, Long> inherited;
        try (ReadOptions ro = new ReadOptions()) {
            inherited = persistedSessions(ro);
        }
        sessions.forEach((client, seq) -> {
            if (seq > 0) {
                inherited.put(client, seq);
            }
        });
        for (Map.Entry<Long, Long> e : inherited.entrySet()) {
            wb.put(engine.raftState(), Keys.sessionKey(child.rangeId(), e.getKey()), encodeSeq(e.getValue()));
        }
        return new SplitOutcome(parent, child);
    }

    private ApplyResult applyKv(WriteBatch wb, KvCommand cmd, long index) throws RocksDBException {
        // Client 0 has no session: requests the node issues itself, concurrently and never retried
        // under the same number, must not be mistaken for retries of one another.
        boolean session = cmd.clientId() != KvCommand.NO_SESSION;
        if (session && cmd.seq() <= session(cmd.clientId())) {
            return ApplyResult.ok(index); // a retry of something already applied: do nothing again
        }
        RangeDescriptor d = descriptor;
        for (KvOp op : cmd.ops()) {
            boolean inside = op instanceof KvOp.DeleteRange r ? d.containsSpan(r.key(), r.end()) : d.contains(op.key());
            if (!inside) {
                // A split applied after this was proposed: the key is no longer ours.
                return new ApplyResult(index, false, null, new RangeException.KeyNotInRange(op.key(), d));
            }
        }
        Map<ByteBuffer, byte[]> overlay = new HashMap<>();
        for (KvOp op : cmd.ops()) {
            if (op instanceof KvOp.CompareAndSet c) {
                byte[] actual = current(overlay, c.key());
                if (!Arrays.equals(actual, c.expected())) {
                    return new ApplyResult(index, false, actual, null);
                }
                overlay.put(ByteBuffer.wrap(c.key()), c.value());
            } else if (op instanceof KvOp.Put p) {
                overlay.put(ByteBuffer.wrap(p.key()), p.value());
            } else if (op instanceof KvOp.Delete del) {
                overlay.put(ByteBuffer.wrap(del.key()), null);
            }
        }
        for (KvOp op : cmd.ops()) {
            if (op instanceof KvOp.Put p) {
                wb.put(engine.data(), p.key(), p.value());
            } else if (op instanceof KvOp.Delete del) {
                wb.delete(engine.data(), del.key());
            } else if (op instanceof KvOp.CompareAndSet c) {
                if (c.value() == null) {
                    wb.delete(engine.data(), c.key());
                } else {
                    wb.put(engine.data(), c.key(), c.value());
                }
            } else if (op instanceof KvOp.DeleteRange r) {
                deleteRange(wb, r.key(), r.end().length == 0 ? d.endKey() : r.end());
            }
        }
        if (session) {
            wb.put(engine.raftState(), Keys.sessionKey(rangeId, cmd.clientId()), encodeSeq(cmd.seq()));
            sessions.put(cmd.clientId(), cmd.seq());
        }
        return ApplyResult.ok(index);
    }

    private void deleteRange(WriteBatch wb, byte[] start, byte[] end) throws RocksDBException {
        if (end.length > 0) {
            wb.deleteRange(engine.data(), start, end);
            return;
        }
        // No upper bound to give RocksDB: delete key by key up to the end of the key space.
        try (RocksIterator it = engine.db().newIterator(engine.data())) {
            for (it.seek(start); it.isValid(); it.next()) {
                wb.delete(engine.data(), it.key());
            }
        }
    }

    private byte[] current(Map<ByteBuffer, byte[]> overlay, byte[] key) throws RocksDBException {
        ByteBuffer k = ByteBuffer.wrap(key);
        if (overlay.containsKey(k)) {
            return overlay.get(k);
        }
        return engine.db().get(engine.data(), key);
    }

    /** Every client session of this range as stored (at the read options' snapshot, if any). */
    private Map<Long, Long> persistedSessions(ReadOptions ro) {
        Map<Long, Long> out = new java.util.TreeMap<>();
        byte[] end = Keys.sessionEnd(rangeId);
        try (RocksIterator it = engine.db().newIterator(engine.raftState(), ro)) {
            for (it.seek(Keys.sessionStart(rangeId)); it.isValid(); it.next()) {
                if (Arrays.compareUnsigned(it.key(), end) >= 0) {
                    break;
                }
                out.put(Keys.sessionClient(it.key()), ByteBuffer.wrap(it.value()).getLong());
            }
        }
        return out;
    }

    private static byte[] encodeSeq(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    private long session(long clientId) throws RocksDBException {
        Long cached = sessions.get(clientId);
        if (cached != null) {
            return cached;
        }
        byte[] v = engine.db().get(engine.raftState(), Keys.sessionKey(rangeId, clientId));
        long last = v == null ? 0 : ByteBuffer.wrap(v).getLong();
        sessions.put(clientId, last);
        return last;
    }

    /**
     * A membership change: the descriptor follows the configuration (conf version + 1), and the
     * descriptor, the configuration and the applied index are written together.
     */
    @Override
    public void applyConfChange(Entry entry, ConfChange change, ConfState confState) {
        if (destroyed) {
            return;
        }
        Map<Long, Long> routes = ReplicaRoutes.decode(change.context());
        RangeDescriptor d = descriptor;
        List<ReplicaDescriptor> replicas = new ArrayList<>(d.replicas());
        for (ConfChangeSingle c : change.changes()) {
            ReplicaDescriptor existing = d.replica(c.nodeId());
            replicas.removeIf(r -> r.replicaId() == c.nodeId());
            long node = routes.getOrDefault(c.nodeId(), existing == null ? 0 : existing.nodeId());
            switch (c.type()) {
                case ADD_VOTER -> replicas.add(new ReplicaDescriptor(node, c.nodeId(), false));
                case ADD_LEARNER -> replicas.add(new ReplicaDescriptor(node, c.nodeId(), true));
                case REMOVE_NODE -> { }
            }
        }
        RangeDescriptor next = new RangeDescriptor(d.rangeId(), d.startKey(), d.endKey(), replicas, d.version(),
                d.confVersion() + (change.changes().isEmpty() ? 0 : 1));
        try (WriteBatch wb = new WriteBatch()) {
            wb.put(engine.raftState(), Keys.stateKey(rangeId, Keys.DESCRIPTOR), next.encode());
            logStore.putConfState(wb, rangeId, confState);
            wb.put(engine.raftState(), Keys.stateKey(rangeId, Keys.APPLIED),
                    RaftCodec.encodeIndexTerm(entry.index(), entry.term()));
            engine.db().write(engine.asyncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply a membership change to range " + rangeId, e);
        }
        logStore.confStateWritten(rangeId, confState);
        descriptor = next;
        appliedIndex = entry.index();
        confChangeListener.accept(next);
    }

    /**
     * A snapshot of this range for a follower the log cannot catch up: descriptor, applied
     * index and term, configuration and all data of the span, read at ONE RocksDB snapshot so
     * that they agree with each other.
     */
    public io.flotilla.raft.message.Snapshot createSnapshot() {
        var snap = engine.db().getSnapshot();
        try (ReadOptions ro = new ReadOptions().setSnapshot(snap)) {
            byte[] a = engine.db().get(engine.raftState(), ro, Keys.stateKey(rangeId, Keys.APPLIED));
            byte[] dBytes = engine.db().get(engine.raftState(), ro, Keys.stateKey(rangeId, Keys.DESCRIPTOR));
            byte[] csBytes = engine.db().get(engine.raftState(), ro, Keys.stateKey(rangeId, Keys.CONF_STATE));
            long[] applied = RaftCodec.decodeIndexTerm(a);
            RangeDescriptor d = RangeDescriptor.decode(dBytes);
            SnapshotCodec.Writer w = new SnapshotCodec.Writer(d, persistedSessions(ro));
            try (RocksIterator it = engine.db().newIterator(engine.data(), ro)) {
                for (it.seek(d.startKey()); it.isValid(); it.next()) {
                    if (d.endKey().length > 0 && Arrays.compareUnsigned(it.key(), d.endKey()) >= 0) {
                        break;
                    }
                    w.add(it.key(), it.value());
                }
            }
            return new io.flotilla.raft.message.Snapshot(new io.flotilla.raft.message.SnapshotMetadata(
                    RaftCodec.decodeConfState(csBytes), applied[0], applied[1]), w.finish());
        } catch (RocksDBException e) {
            throw new StorageException("cannot snapshot range " + rangeId, e);
        } finally {
            engine.db().releaseSnapshot(snap);
        }
    }

    /**
     * Installs a leader's snapshot: the data goes into SST files (bounded in size each), the
     * span is cleared and the files ingested; then descriptor, applied index and configuration
     * are written in one synced batch, so a restart sees either the old range or the new one
     * as far as the applied index tells.
     */
    @Override
    public void restore(io.flotilla.raft.message.Snapshot snapshot) {
        if (destroyed) {
            return;
        }
        try {
            installLimiter.acquire(snapshot.data().length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted waiting to install a snapshot of range " + rangeId, e);
        }
        try {
            install(snapshot);
        } finally {
            installLimiter.release();
        }
    }

    private void install(io.flotilla.raft.message.Snapshot snapshot) {
        java.nio.file.Path dir = engine.dir().resolve("snapshots").resolve(rangeId + "-" + snapshot.index());
        List<String> files = new ArrayList<>();
        PendingSnapshot.save(pendingDir(engine), rangeId, snapshot);
        try {
            java.nio.file.Files.createDirectories(dir);
            SstSink sink = new SstSink(dir, files);
            Map<Long, Long> restoredSessions = new java.util.TreeMap<>();
            RangeDescriptor d = SnapshotCodec.read(snapshot.data(), restoredSessions, sink::add);
            sink.close();
            try (WriteBatch wb = new WriteBatch()) {
                deleteRange(wb, d.startKey(), d.endKey());
                engine.db().write(engine.syncWrite(), wb);
            }
            if (!files.isEmpty()) {
                try (org.rocksdb.IngestExternalFileOptions io = new org.rocksdb.IngestExternalFileOptions()
                        .setMoveFiles(true)) {
                    engine.db().ingestExternalFile(engine.data(), files, io);
                }
            }
            try (WriteBatch wb = new WriteBatch()) {
                wb.put(engine.raftState(), Keys.stateKey(rangeId, Keys.DESCRIPTOR), d.encode());
                logStore.putConfState(wb, rangeId, snapshot.metadata().confState());
                wb.put(engine.raftState(), Keys.stateKey(rangeId, Keys.APPLIED),
                        RaftCodec.encodeIndexTerm(snapshot.index(), snapshot.term()));
                wb.deleteRange(engine.raftState(), Keys.sessionStart(rangeId), Keys.sessionEnd(rangeId));
                for (Map.Entry<Long, Long> e : restoredSessions.entrySet()) {
                    wb.put(engine.raftState(), Keys.sessionKey(rangeId, e.getKey()), encodeSeq(e.getValue()));
                }
                engine.db().write(engine.syncWrite(), wb);
            }
            logStore.confStateWritten(rangeId, snapshot.metadata().confState());
            PendingSnapshot.delete(pendingDir(engine), rangeId);
            sessions.clear();
            descriptor = d;
            appliedIndex = snapshot.index();
            restoreListener.accept(d);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StorageException("cannot install a snapshot of range " + rangeId, e);
        } finally {
            for (String f : files) {
                new java.io.File(f).delete();
            }
            dir.toFile().delete();
        }
    }

    /** Writes sorted pairs into SST files of at most ~16 MiB each, so memory stays bounded. */
    private final class SstSink {
        private static final long MAX_FILE_BYTES = 16L << 20;
        private final java.nio.file.Path dir;
        private final List<String> files;
        private org.rocksdb.SstFileWriter writer;
        private org.rocksdb.EnvOptions env;
        private org.rocksdb.Options options;
        private long bytes;

        SstSink(java.nio.file.Path dir, List<String> files) {
            this.dir = dir;
            this.files = files;
        }

        void add(byte[] key, byte[] value) {
            try {
                if (writer == null || bytes > MAX_FILE_BYTES) {
                    close();
                    env = new org.rocksdb.EnvOptions();
                    options = new org.rocksdb.Options();
                    writer = new org.rocksdb.SstFileWriter(env, options);
                    String file = dir.resolve("part-" + files.size() + ".sst").toString();
                    writer.open(file);
                    files.add(file);
                    bytes = 0;
                }
                writer.put(key, value);
                bytes += key.length + value.length;
            } catch (RocksDBException e) {
                throw new StorageException("cannot write a snapshot file", e);
            }
        }

        void close() throws RocksDBException {
            if (writer != null) {
                writer.finish();
                writer.close();
                env.close();
                options.close();
                writer = null;
            }
        }
    }

    /** Reads one key of this range from the node's data (the caller confirmed linearizability). */
    public byte[] get(byte[] key) {
        try {
            return engine.db().get(engine.data(), key);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read range " + rangeId, e);
        }
    }

    /** Keys and values in {@code [start, end) ∩ range}, at most {@code limit}, from one consistent snapshot. */
    public List<byte[][]> scan(byte[] start, byte[] end, int limit) {
        RangeDescriptor d = descriptor;
        byte[] from = Arrays.compareUnsigned(start, d.startKey()) > 0 ? start : d.startKey();
        byte[] to = end.length == 0 ? d.endKey()
                : d.endKey().length == 0 || Arrays.compareUnsigned(end, d.endKey()) < 0 ? end : d.endKey();
        List<byte[][]> out = new ArrayList<>();
        var snapshot = engine.db().getSnapshot();
        try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
             RocksIterator it = engine.db().newIterator(engine.data(), ro)) {
            for (it.seek(from); it.isValid() && out.size() < limit; it.next()) {
                byte[] k = it.key();
                if (to.length > 0 && Arrays.compareUnsigned(k, to) >= 0) {
                    break;
                }
                out.add(new byte[][] {k, it.value()});
            }
        } finally {
            engine.db().releaseSnapshot(snapshot);
        }
        return out;
    }
}
