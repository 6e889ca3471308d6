package io.flotilla.raft.log;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;

import java.util.List;

/**
 * The durable part of one group's log as the Raft core reads it. The host writes to it (after
 * a Ready), the core only reads. Implementations: {@link MemoryLogStorage} for tests and
 * benchmarks, a RocksDB-backed one in range-store.
 *
 * <p>Indexes are 1-based; the entry at {@code firstIndex() - 1} is the last compacted one
 * (or the snapshot's), whose term stays readable.</p>
 */
public interface LogStorage {
    /** The persisted hard state and configuration, read once when a group starts. */
    HardState initialHardState();

    ConfState initialConfState();

    /**
     * Entries in {@code [lo, hi)}, at least one if any exist, stopping before the total size
     * would exceed {@code maxBytes}.
     *
     * @throws LogStorageException.Compacted if {@code lo} is compacted
     * @throws LogStorageException.Unavailable if {@code hi} is beyond the last index + 1
     */
    List<Entry> entries(long lo, long hi, long maxBytes);

    /**
     * The term of entry {@code index}; valid for {@code firstIndex()-1 .. lastIndex()}.
     *
     * @throws LogStorageException.Compacted below that range
     * @throws LogStorageException.Unavailable above it
     */
    long term(long index);

    long firstIndex();

    long lastIndex();

    /** The most recent snapshot, for sending to a follower that fell behind compaction. */
    Snapshot snapshot();
}
