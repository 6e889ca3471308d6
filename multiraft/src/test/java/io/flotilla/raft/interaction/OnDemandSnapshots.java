package io.flotilla.raft.interaction;

import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;

import java.util.List;
import java.util.function.Supplier;

/**
 * The storage the core reads: a {@link MemoryLogStorage}, except that a snapshot for a
 * follower is cut fresh from the state machine at the moment it is needed, as a host that
 * streams the current state does (design: "the range's span read at a RocksDB snapshot").
 * A stored snapshot may predate the follower's own membership, and a replica refuses a
 * snapshot of a configuration it is not part of; a fresh one always includes it, since the
 * leader only contacts members of the configuration it has applied.
 */
final class OnDemandSnapshots implements LogStorage {
    private final MemoryLogStorage stored;
    private final Supplier<Snapshot> current;

    OnDemandSnapshots(MemoryLogStorage stored, Supplier<Snapshot> current) {
        this.stored = stored;
        this.current = current;
    }

    @Override
    public HardState initialHardState() {
        return stored.initialHardState();
    }

    @Override
    public ConfState initialConfState() {
        return stored.initialConfState();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        return stored.entries(lo, hi, maxBytes);
    }

    @Override
    public long term(long index) {
        return stored.term(index);
    }

    @Override
    public long firstIndex() {
        return stored.firstIndex();
    }

    @Override
    public long lastIndex() {
        return stored.lastIndex();
    }

    @Override
    public Snapshot snapshot() {
        Snapshot fresh = current.get();
        return fresh.index() > stored.snapshot().index() ? fresh : stored.snapshot();
    }
}
