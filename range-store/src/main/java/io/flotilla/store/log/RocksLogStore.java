package io.flotilla.store.log;

import io.flotilla.engine.LogStore;
import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.store.rocks.Keys;
import io.flotilla.store.rocks.StorageEngine;
import io.flotilla.store.rocks.StorageException;
import org.rocksdb.RocksDBException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's {@link LogStore} on the node's RocksDB: every group's entries and hard state of
 * one Ready cycle go into ONE RocksDB WriteBatch, written with ONE fsync however many groups
 * wrote. In-memory views change only after the batch is durable.
 */
public final class RocksLogStore implements LogStore {
    private final StorageEngine engine;
    private final EntryCache cache;
    private final Map<Long, RocksGroupLog> logs = new ConcurrentHashMap<>();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();

    public RocksLogStore(StorageEngine engine, long cacheBytes) {
        this.engine = engine;
        this.cache = new EntryCache(cacheBytes);
    }

    @Override
    public RocksGroupLog storage(long groupId) {
        return logs.computeIfAbsent(groupId, g -> new RocksGroupLog(g, engine, cache));
    }

    /** Writes a new group's initial configuration, durably, before the group starts. */
    public void bootstrap(long groupId, ConfState initial) {
        try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
            wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.CONF_STATE), RaftCodec.encodeConfState(initial));
            engine.db().write(engine.syncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot bootstrap group " + groupId, e);
        }
        storage(groupId).afterConfState(initial);
    }

    /**
     * Records the configuration in force as of the applied index, so a restart that resumes
     * applying there starts from the right members. Goes into the apply batch of the entry.
     */
    public void putConfState(org.rocksdb.WriteBatch wb, long groupId, ConfState cs) throws RocksDBException {
        wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.CONF_STATE), RaftCodec.encodeConfState(cs));
    }

    /** After the apply batch that carried {@link #putConfState} committed. */
    public void confStateWritten(long groupId, ConfState cs) {
        storage(groupId).afterConfState(cs);
    }

    /**
     * Brings group {@code groupId}'s log level with a state machine that has applied through
     * ({@code index}, {@code term}), at load. They differ only after a crash that came once a
     * snapshot was in the state machine and before the log recorded it (the engine installs in
     * that order): the log is then cut at the snapshot as that write would have cut it, the
     * commit raised to it and, if the snapshot is of a later term, the term too (with no vote,
     * which is always safe). A log that already holds the entry ({@code index}, {@code term})
     * agrees with the state machine (log matching, Raft §5.3) and keeps its entries.
     *
     * @throws StorageException if the state machine is behind the log's truncation: the entries
     *                          it would need are gone, and only a new replica can repair that
     */
    public void catchUpWithStateMachine(long groupId, long index, long term) {
        RocksGroupLog log = storage(groupId);
        if (index < log.truncatedIndex()) {
            throw new StorageException("range " + groupId + " applied through " + index
                    + " but its log was truncated through " + log.truncatedIndex() + ": the entries between are lost");
        }
        HardState hs = log.initialHardState();
        if (hs.commit() >= index) {
            // Committed here, the entry at index is the leader's (log matching): the state
            // machine applied it, or a snapshot through it. Nothing to finish, and no read.
            return;
        }
        boolean holdsIt = index <= log.lastIndex() && log.term(index) == term;
        HardState next = term > hs.term()
                ? new HardState(term, 0, Math.max(hs.commit(), index))
                : new HardState(hs.term(), hs.vote(), Math.max(hs.commit(), index));
        long oldFirst = log.firstIndex();
        long oldLast = log.lastIndex();
        try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
            if (!holdsIt) {
                wb.deleteRange(engine.raftLog(), Keys.logKey(groupId, 0), Keys.logEnd(groupId));
                wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.TRUNCATED), RaftCodec.encodeIndexTerm(index, term));
            }
            wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.HARD_STATE), RaftCodec.encodeHardState(next));
            engine.db().write(engine.syncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot bring the log of group " + groupId + " level with its state machine", e);
        }
        if (!holdsIt) {
            cache.invalidate(groupId, oldFirst, oldLast);
            log.afterSnapshot(index, term);
        }
        log.afterHardState(next);
    }

    /**
     * Drops log entries up to {@code index} (which must be applied) with one range delete:
     * bounds the log of a group that keeps writing.
     */
    public void truncate(long groupId, long index) {
        RocksGroupLog log = storage(groupId);
        if (index <= log.truncatedIndex()) {
            return;
        }
        long term = log.term(index);
        try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
            wb.deleteRange(engine.raftLog(), Keys.logKey(groupId, 0), Keys.logKey(groupId, index + 1));
            wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.TRUNCATED), RaftCodec.encodeIndexTerm(index, term));
            engine.db().write(engine.asyncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot truncate the log of group " + groupId, e);
        }
        long from = log.truncatedIndex() + 1;
        log.afterTruncate(index, term);
        cache.invalidate(groupId, from, index);
    }

    @Override
    public void remove(long groupId) {
        RocksGroupLog log = logs.remove(groupId);
        try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch()) {
            wb.deleteRange(engine.raftLog(), Keys.logKey(groupId, 0), Keys.logEnd(groupId));
            wb.deleteRange(engine.raftState(), Keys.stateStart(groupId), Keys.stateEnd(groupId));
            engine.db().write(engine.syncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot remove group " + groupId, e);
        }
        if (log != null) {
            cache.invalidate(groupId, log.firstIndex(), log.lastIndex());
        }
    }

    public long syncs() {
        return syncs.get();
    }

    public long batches() {
        return batches.get();
    }

    @Override
    public WriteBatch newBatch() {
        return new Batch();
    }

    private final class Batch implements WriteBatch {
        private final org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch();
        private final List<Runnable> afterCommit = new ArrayList<>();
        private boolean empty = true;

        @Override
        public void append(long groupId, List<Entry> entries) {
            if (entries.isEmpty()) {
                return;
            }
            RocksGroupLog log = storage(groupId);
            long first = entries.get(0).index();
            long last = entries.get(entries.size() - 1).index();
            long oldLast = log.lastIndex();
            try {
                for (Entry e : entries) {
                    wb.put(engine.raftLog(), Keys.logKey(groupId, e.index()), RaftCodec.encodeEntry(e));
                }
                if (oldLast > last) {
                    // A new leader overwrote our tail: entries past the new end are no longer ours.
                    wb.deleteRange(engine.raftLog(), Keys.logKey(groupId, last + 1), Keys.logKey(groupId, oldLast + 1));
                }
            } catch (RocksDBException e) {
                throw new StorageException("cannot stage entries of group " + groupId, e);
            }
            empty = false;
            afterCommit.add(() -> {
                if (first <= oldLast) {
                    cache.invalidate(groupId, first, oldLast);
                }
                for (Entry e : entries) {
                    cache.put(groupId, e);
                }
                log.afterAppend(last);
            });
        }

        @Override
        public void setHardState(long groupId, HardState hardState) {
            try {
                wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.HARD_STATE), RaftCodec.encodeHardState(hardState));
            } catch (RocksDBException e) {
                throw new StorageException("cannot stage the hard state of group " + groupId, e);
            }
            empty = false;
            RocksGroupLog log = storage(groupId);
            afterCommit.add(() -> log.afterHardState(hardState));
        }

        @Override
        public void applySnapshot(long groupId, Snapshot snapshot) {
            RocksGroupLog log = storage(groupId);
            long oldFirst = log.firstIndex();
            long oldLast = log.lastIndex();
            try {
                wb.deleteRange(engine.raftLog(), Keys.logKey(groupId, 0), Keys.logEnd(groupId));
                wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.TRUNCATED),
                        RaftCodec.encodeIndexTerm(snapshot.index(), snapshot.term()));
                wb.put(engine.raftState(), Keys.stateKey(groupId, Keys.CONF_STATE),
                        RaftCodec.encodeConfState(snapshot.metadata().confState()));
            } catch (RocksDBException e) {
                throw new StorageException("cannot stage a snapshot of group " + groupId, e);
            }
            empty = false;
            afterCommit.add(() -> {
                cache.invalidate(groupId, oldFirst, oldLast);
                log.afterSnapshot(snapshot.index(), snapshot.term());
                log.afterConfState(snapshot.metadata().confState());
            });
        }

        @Override
        public boolean isEmpty() {
            return empty;
        }

        @Override
        public void commit(boolean sync) {
            try {
                engine.db().write(sync ? engine.syncWrite() : engine.asyncWrite(), wb);
            } catch (RocksDBException e) {
                throw new StorageException("cannot write a Raft batch", e);
            } finally {
                wb.close();
            }
            batches.incrementAndGet();
            if (sync) {
                syncs.incrementAndGet();
            }
            afterCommit.forEach(Runnable::run);
        }
    }
}
