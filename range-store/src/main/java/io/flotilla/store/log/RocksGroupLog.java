package io.flotilla.store.log;

import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.log.LogStorageException;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import io.flotilla.store.rocks.Keys;
import io.flotilla.store.rocks.StorageEngine;
import io.flotilla.store.rocks.StorageException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One group's durable log as the Raft core reads it, over the node's shared RocksDB. The
 * bounds, hard state and configuration are kept in memory and changed only after the write
 * that changes them has committed ({@link RocksLogStore}), so reads never see a half write.
 */
public final class RocksGroupLog implements LogStorage {
    private final long groupId;
    private final StorageEngine engine;
    private final EntryCache cache;
    private volatile HardState hardState = HardState.EMPTY;
    private volatile ConfState confState = ConfState.EMPTY;
    private volatile long truncatedIndex;
    private volatile long truncatedTerm;
    private volatile long lastIndex;
    private volatile Supplier<Snapshot> snapshotSource;

    RocksGroupLog(long groupId, StorageEngine engine, EntryCache cache) {
        this.groupId = groupId;
        this.engine = engine;
        this.cache = cache;
        load();
    }

    private void load() {
        try {
            byte[] hs = engine.db().get(engine.raftState(), Keys.stateKey(groupId, Keys.HARD_STATE));
            if (hs != null) {
                hardState = RaftCodec.decodeHardState(hs);
            }
            byte[] cs = engine.db().get(engine.raftState(), Keys.stateKey(groupId, Keys.CONF_STATE));
            if (cs != null) {
                confState = RaftCodec.decodeConfState(cs);
            }
            byte[] tr = engine.db().get(engine.raftState(), Keys.stateKey(groupId, Keys.TRUNCATED));
            if (tr != null) {
                long[] it = RaftCodec.decodeIndexTerm(tr);
                truncatedIndex = it[0];
                truncatedTerm = it[1];
            }
            lastIndex = truncatedIndex;
            try (RocksIterator it = engine.db().newIterator(engine.raftLog())) {
                it.seekForPrev(Keys.logEnd(groupId));
                if (it.isValid() && Keys.logGroup(it.key()) == groupId) {
                    lastIndex = Math.max(truncatedIndex, Keys.logIndex(it.key()));
                }
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot load the log of group " + groupId, e);
        }
    }

    public long groupId() {
        return groupId;
    }

    @Override
    public HardState initialHardState() {
        return hardState;
    }

    @Override
    public ConfState initialConfState() {
        return confState;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo <= truncatedIndex) {
            throw new LogStorageException.Compacted(lo, truncatedIndex + 1);
        }
        if (hi > lastIndex + 1) {
            throw new LogStorageException.Unavailable(hi - 1, lastIndex);
        }
        List<Entry> out = new ArrayList<>((int) Math.min(hi - lo, 64));
        long size = 0;
        long i = lo;
        // Cached prefix first; the first miss switches to one RocksDB scan for the rest.
        for (; i < hi; i++) {
            Entry e = cache.get(groupId, i);
            if (e == null) {
                break;
            }
            size += e.sizeBytes();
            if (!out.isEmpty() && size > maxBytes) {
                return out;
            }
            out.add(e);
        }
        if (i == hi) {
            return out;
        }
        try (ReadOptions ro = new ReadOptions().setIterateUpperBound(new org.rocksdb.Slice(Keys.logKey(groupId, hi)));
             RocksIterator it = engine.db().newIterator(engine.raftLog(), ro)) {
            for (it.seek(Keys.logKey(groupId, i)); it.isValid() && i < hi; it.next(), i++) {
                long index = Keys.logIndex(it.key());
                if (index != i) {
                    throw new IllegalStateException("log of group " + groupId + " has a hole at " + i);
                }
                Entry e = RaftCodec.decodeEntry(index, it.value());
                size += e.sizeBytes();
                if (!out.isEmpty() && size > maxBytes) {
                    break;
                }
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public long term(long index) {
        if (index == truncatedIndex) {
            return truncatedTerm;
        }
        if (index < truncatedIndex) {
            throw new LogStorageException.Compacted(index, truncatedIndex + 1);
        }
        if (index > lastIndex) {
            throw new LogStorageException.Unavailable(index, lastIndex);
        }
        Entry e = cache.get(groupId, index);
        if (e != null) {
            return e.term();
        }
        try {
            byte[] v = engine.db().get(engine.raftLog(), Keys.logKey(groupId, index));
            if (v == null) {
                throw new IllegalStateException("log of group " + groupId + " has no entry " + index);
            }
            return RaftCodec.decodeEntry(index, v).term();
        } catch (RocksDBException ex) {
            throw new StorageException("cannot read entry " + index + " of group " + groupId, ex);
        }
    }

    @Override
    public long firstIndex() {
        return truncatedIndex + 1;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    /**
     * The snapshot to send a follower that fell behind the truncation point. Produced on demand
     * by the range layer; until it is wired, the leader is told to retry later.
     */
    @Override
    public Snapshot snapshot() {
        Supplier<Snapshot> s = snapshotSource;
        if (s == null) {
            if (truncatedIndex == 0) {
                return new Snapshot(new SnapshotMetadata(confState, 0, 0), null);
            }
            throw new LogStorageException.SnapshotTemporarilyUnavailable();
        }
        return s.get();
    }

    public void setSnapshotSource(Supplier<Snapshot> source) {
        this.snapshotSource = source;
    }

    public long truncatedIndex() {
        return truncatedIndex;
    }

    // Changed by RocksLogStore once a write is durable.
    void afterAppend(long newLast) {
        lastIndex = newLast;
    }

    void afterHardState(HardState hs) {
        hardState = hs;
    }

    void afterConfState(ConfState cs) {
        confState = cs;
    }

    void afterTruncate(long index, long term) {
        truncatedIndex = index;
        truncatedTerm = term;
        lastIndex = Math.max(lastIndex, index);
    }

    void afterSnapshot(long index, long term) {
        truncatedIndex = index;
        truncatedTerm = term;
        lastIndex = index;
    }
}
