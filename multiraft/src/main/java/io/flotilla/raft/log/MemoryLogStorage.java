package io.flotilla.raft.log;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link LogStorage} held in memory: for tests, simulations and benchmarks. Not
 * thread-safe; a group's host calls it from one thread at a time.
 *
 * <p>{@code entries[0]} is a dummy standing for the snapshot point, so that the term of
 * the entry just before the first available one is always known.</p>
 */
public final class MemoryLogStorage implements LogStorage {
    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = Snapshot.EMPTY;
    // The entries as an array and a count rather than an ArrayList: one object less per group.
    private Entry[] entries = {ZERO, null};
    private int size = 1;
    /** The index of {@code entries[0]}, kept here: a Raft log asks for its bounds on every step. */
    private long offset;

    public MemoryLogStorage() {
    }

    /** The dummy entry of an empty log, shared: entries are immutable. */
    private static final Entry ZERO = Entry.empty(0, 0);

    /** Storage for a brand-new group whose initial members are {@code voters}. */
    public static MemoryLogStorage withVoters(long... voters) {
        return bootstrapped(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(voters), 0, 0), null));
    }

    /**
     * Storage for a brand-new group that holds only {@code initial}, a snapshot at index 0
     * carrying the first configuration. Snapshots are immutable, so many groups may share one.
     */
    public static MemoryLogStorage bootstrapped(Snapshot initial) {
        if (initial.index() != 0) {
            throw new IllegalArgumentException("a bootstrap snapshot is at index 0, got " + initial.index());
        }
        MemoryLogStorage s = new MemoryLogStorage();
        s.snapshot = initial;
        return s;
    }

    /** An independent copy: what a crash leaves behind is a copy of the durable state. */
    public MemoryLogStorage copy() {
        MemoryLogStorage c = new MemoryLogStorage();
        c.hardState = hardState;
        c.snapshot = snapshot;
        c.entries = Arrays.copyOf(entries, Math.max(2, size));
        c.size = size;
        c.offset = offset;
        return c;
    }

    @Override
    public HardState initialHardState() {
        return hardState;
    }

    @Override
    public ConfState initialConfState() {
        return snapshot.metadata().confState();
    }

    public HardState hardState() {
        return hardState;
    }

    public void setHardState(HardState hs) {
        this.hardState = hs;
    }

    private long offset() {
        return offset;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        long offset = offset();
        if (lo <= offset) {
            throw new LogStorageException.Compacted(lo, offset + 1);
        }
        if (hi > lastIndex() + 1) {
            throw new LogStorageException.Unavailable(hi - 1, lastIndex());
        }
        List<Entry> out = new ArrayList<>((int) Math.min(hi - lo, 64));
        long size = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = entries[(int) (i - offset)];
            size += e.sizeBytes();
            if (!out.isEmpty() && size > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public long term(long index) {
        long offset = offset();
        if (index < offset) {
            throw new LogStorageException.Compacted(index, offset + 1);
        }
        if (index - offset >= size) {
            throw new LogStorageException.Unavailable(index, lastIndex());
        }
        return entries[(int) (index - offset)].term();
    }

    @Override
    public long firstIndex() {
        return offset() + 1;
    }

    @Override
    public long lastIndex() {
        return offset() + size - 1;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces the contents with a snapshot, as a follower does on installing one. A snapshot
     * older than the current one is refused.
     */
    public void applySnapshot(Snapshot snap) {
        if (snap.index() < snapshot.index()) {
            throw new LogStorageException.Compacted(snap.index(), snapshot.index());
        }
        snapshot = snap;
        entries = new Entry[] {Entry.empty(snap.term(), snap.index()), null};
        size = 1;
        this.offset = snap.index();
    }

    /** Records a snapshot at {@code index} (already applied by the state machine). */
    public Snapshot createSnapshot(long index, ConfState cs, byte[] data) {
        if (index <= snapshot.index()) {
            throw new LogStorageException.Compacted(index, snapshot.index());
        }
        if (index > lastIndex()) {
            throw new LogStorageException.Unavailable(index, lastIndex());
        }
        snapshot = new Snapshot(new SnapshotMetadata(cs, index, term(index)), data);
        return snapshot;
    }

    /** Drops entries up to and including {@code compactIndex}, which must be applied. */
    public void compact(long compactIndex) {
        long offset = offset();
        if (compactIndex <= offset) {
            throw new LogStorageException.Compacted(compactIndex, offset + 1);
        }
        if (compactIndex > lastIndex()) {
            throw new LogStorageException.Unavailable(compactIndex, lastIndex());
        }
        int i = (int) (compactIndex - offset);
        Entry[] kept = new Entry[Math.max(2, size - i)];
        kept[0] = Entry.empty(entries[i].term(), compactIndex);
        System.arraycopy(entries, i + 1, kept, 1, size - i - 1);
        entries = kept;
        size = size - i;
        this.offset = compactIndex;
    }

    /**
     * Appends entries, overwriting any conflicting suffix (a follower truncating a stale tail).
     * Entries already compacted are skipped.
     */
    public void append(List<Entry> ents) {
        if (ents.isEmpty()) {
            return;
        }
        long first = firstIndex();
        long last = ents.get(0).index() + ents.size() - 1;
        if (last < first) {
            return;
        }
        int skip = first > ents.get(0).index() ? (int) (first - ents.get(0).index()) : 0;
        long start = ents.get(skip).index();
        long offset = offset();
        if (start - offset > size) {
            throw new IllegalStateException("append at " + start + " leaves a gap after " + lastIndex());
        }
        int keep = (int) (start - offset);
        int adding = ents.size() - skip;
        int newSize = keep + adding;
        if (newSize > entries.length) {
            entries = Arrays.copyOf(entries, Math.max(newSize, keep + Math.max(adding, keep / 2)));
        }
        Arrays.fill(entries, newSize, Math.max(newSize, size), null); // a truncated tail lets go of its entries
        for (int j = 0; j < adding; j++) {
            entries[keep + j] = ents.get(skip + j);
        }
        size = newSize;
    }
}
