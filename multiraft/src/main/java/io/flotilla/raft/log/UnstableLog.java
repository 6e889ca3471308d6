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
    private final ArrayList<Entry> entries = new ArrayList<>();
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
        return entries;
    }

    /** The first index if an unstable snapshot fixes it, else -1. */
    long maybeFirstIndex() {
        return snapshot != null ? snapshot.index() + 1 : -1;
    }

    /** The last index if the unstable part knows it, else -1. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
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
            entries.subList(0, (int) (index + 1 - offset)).clear();
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
        entries.clear();
        snapshot = snap;
    }

    /** Appends, replacing whatever conflicting suffix starts at the first new entry. */
    void truncateAndAppend(List<Entry> ents) {
        long first = ents.get(0).index();
        if (first == offset + entries.size()) {
            entries.addAll(ents);
        } else if (first <= offset) {
            // Replaces everything unstable, and makes stable entries from `first` on obsolete.
            offset = first;
            entries.clear();
            entries.addAll(ents);
        } else {
            entries.subList((int) (first - offset), entries.size()).clear();
            entries.addAll(ents);
        }
    }

    /** Entries in {@code [lo, hi)}, all unstable. */
    List<Entry> slice(long lo, long hi) {
        if (lo > hi || lo < offset || hi > offset + entries.size()) {
            throw new IllegalArgumentException("unstable slice [" + lo + "," + hi + ") out of [" + offset + ","
                    + (offset + entries.size()) + ")");
        }
        return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
    }
}
