package io.flotilla.raft.log;

import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log that is not yet known to be durable: entries (and possibly an incoming
 * snapshot) that the next Ready hands to the host for persistence. {@code offset} is the
 * index of the first unstable entry.
 */
final class UnstableLog {
    private Snapshot snapshot;
    /** Null while empty: most groups hold no unstable entry most of the time. */
    private ArrayList<Entry> entries;
    private long offset;

    UnstableLog(long offset) {
        this.offset = offset;
    }

    long offset() {
        return offset;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<Entry> entries() {
        return entries == null ? List.of() : entries;
    }

    boolean isEmpty() {
        return entries == null;
    }

    private int size() {
        return entries == null ? 0 : entries.size();
    }

    /** The first index if an unstable snapshot fixes it, else -1. */
    long maybeFirstIndex() {
        return snapshot != null ? snapshot.index() + 1 : -1;
    }

    /** The last index if the unstable part knows it, else -1. */
    long maybeLastIndex() {
        if (entries != null) {
            return offset + entries.size() - 1;
        }
        return snapshot != null ? snapshot.index() : -1;
    }

    /** The term of {@code index} if the unstable part knows it, else -1. */
    long maybeTerm(long index) {
        if (index < offset) {
            return snapshot != null && snapshot.index() == index ? snapshot.term() : -1;
        }
        long last = maybeLastIndex();
        if (last == -1 || index > last) {
            return -1;
        }
        return entries.get((int) (index - offset)).term();
    }

    /**
     * Entries up to {@code index} (at {@code term}) are durable now. A term mismatch means the
     * entry was overwritten after the Ready was taken: the newer one is still unstable.
     */
    void stableTo(long index, long term) {
        long t = maybeTerm(index);
        if (t == term && index >= offset) {
            int stable = (int) (index + 1 - offset);
            if (stable >= size()) {
                entries = null; // all durable: let the list go, an idle group keeps none
            } else {
                entries.subList(0, stable).clear();
            }
            offset = index + 1;
        }
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.index() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot snap) {
        offset = snap.index() + 1;
        entries = null;
        snapshot = snap;
    }

    /** Appends, replacing whatever conflicting suffix starts at the first new entry. */
    void truncateAndAppend(List<Entry> ents) {
        if (ents.isEmpty()) {
            return;
        }
        long first = ents.get(0).index();
        if (first == offset + size()) {
            list().addAll(ents);
        } else if (first <= offset) {
            // Replaces everything unstable, and makes stable entries from `first` on obsolete.
            offset = first;
            entries = null;
            list().addAll(ents);
        } else {
            entries.subList((int) (first - offset), entries.size()).clear();
            entries.addAll(ents);
        }
    }

    private ArrayList<Entry> list() {
        if (entries == null) {
            entries = new ArrayList<>(4);
        }
        return entries;
    }

    /** Entries in {@code [lo, hi)}, all unstable. */
    List<Entry> slice(long lo, long hi) {
        if (lo > hi || lo < offset || hi > offset + size()) {
            throw new IllegalArgumentException("unstable slice [" + lo + "," + hi + ") out of [" + offset + ","
                    + (offset + size()) + ")");
        }
        if (lo == hi) {
            return new ArrayList<>();
        }
        return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
    }
}
