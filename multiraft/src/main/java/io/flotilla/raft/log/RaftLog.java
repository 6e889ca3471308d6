package io.flotilla.raft.log;

import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * One group's log as the Raft core sees it: durable entries in {@link LogStorage}, followed by
 * the unstable tail, plus the commit and apply positions.
 *
 * <p>Invariants: {@code applied <= applying <= committed <= lastIndex()}, and committed entries
 * are never overwritten (Raft paper §5.3, §5.4: Log Matching, Leader Completeness).</p>
 */
public final class RaftLog {
    private final LogStorage storage;
    private final UnstableLog unstable;
    private long committed;
    /** The highest index handed to the host for applying (may not be applied yet). */
    private long applying;
    private long applied;
    private final long maxApplyingBytes;

    public RaftLog(LogStorage storage, long maxApplyingBytes) {
        this.storage = storage;
        this.maxApplyingBytes = maxApplyingBytes;
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        this.unstable = new UnstableLog(last + 1);
        this.committed = first - 1;
        this.applying = first - 1;
        this.applied = first - 1;
    }

    public long committed() {
        return committed;
    }

    public long applied() {
        return applied;
    }

    public long applying() {
        return applying;
    }

    public LogStorage storage() {
        return storage;
    }

    public long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i != -1 ? i : storage.firstIndex();
    }

    public long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i != -1 ? i : storage.lastIndex();
    }

    /** The last index known to be durable and still part of the log. */
    public long lastPersistedIndex() {
        if (unstable.snapshot() != null) {
            return 0; // the whole log is being replaced: nothing in it is durable yet
        }
        return Math.min(unstable.offset() - 1, lastIndex());
    }

    /**
     * The term of {@code index}.
     *
     * @throws LogStorageException.Compacted if it is before the last compacted entry
     * @throws LogStorageException.Unavailable if it is past the last index
     */
    public long term(long index) {
        long t = unstable.maybeTerm(index);
        if (t != -1) {
            return t;
        }
        long dummy = firstIndex() - 1;
        if (index < dummy) {
            throw new LogStorageException.Compacted(index, dummy + 1);
        }
        if (index > lastIndex()) {
            throw new LogStorageException.Unavailable(index, lastIndex());
        }
        return storage.term(index);
    }

    /** The term of {@code index}, or 0 when it is compacted or beyond the end. */
    public long termOrZero(long index) {
        try {
            return term(index);
        } catch (LogStorageException e) {
            return 0;
        }
    }

    public long lastTerm() {
        return term(lastIndex());
    }

    public boolean matchTerm(long index, long term) {
        if (index > lastIndex() || index < firstIndex() - 1) {
            return false;
        }
        try {
            return term(index) == term;
        } catch (LogStorageException e) {
            return false;
        }
    }

    /**
     * A candidate whose last entry is (lastIndex, lastTerm) is at least as up to date as this
     * log: a later last term, or the same last term and at least as long (Raft paper §5.4.1).
     */
    public boolean isUpToDate(long lastIndex, long lastTerm) {
        long myTerm = lastTerm();
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
    }

    /**
     * Follower side of AppendEntries (Raft paper §5.3): if the entry at {@code prevIndex} has
     * {@code prevTerm}, append the new entries (truncating a conflicting suffix) and commit up
     * to {@code min(leaderCommit, last new index)}. Returns the last new index, or -1 when the
     * consistency check fails.
     */
    public long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> ents) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        long lastNew = prevIndex + ents.size();
        long conflict = findConflict(ents);
        if (conflict != 0) {
            if (conflict <= committed) {
                throw new IllegalStateException("entry " + conflict + " conflicts with committed entry (committed="
                        + committed + ")");
            }
            append(ents.subList((int) (conflict - (prevIndex + 1)), ents.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    /** Appends entries at the end (the leader's own proposals). Returns the new last index. */
    public long append(List<Entry> ents) {
        if (ents.isEmpty()) {
            return lastIndex();
        }
        long after = ents.get(0).index() - 1;
        if (after < committed) {
            throw new IllegalStateException("append after " + after + " would overwrite committed " + committed);
        }
        unstable.truncateAndAppend(ents);
        return lastIndex();
    }

    /**
     * The index of the first entry that is new or conflicts with an existing one (same index,
     * different term), or 0 when every entry is already present.
     */
    long findConflict(List<Entry> ents) {
        for (Entry e : ents) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * For fast back-off on a rejected append: the largest index at or below {@code index}
     * whose term is at most {@code term}, returned with that term as {@code {index, term}}.
     * Every entry above it is known not to match the leader's log.
     */
    public long[] findConflictByTerm(long index, long term) {
        for (; index > 0; index--) {
            long t;
            try {
                t = term(index);
            } catch (LogStorageException e) {
                return new long[] {index, 0};
            }
            if (t <= term) {
                return new long[] {index, t};
            }
        }
        return new long[] {0, 0};
    }

    public boolean hasUnstableEntries() {
        return !unstable.isEmpty();
    }

    /** Entries not yet handed out for persistence. */
    public List<Entry> unstableEntries() {
        List<Entry> u = unstable.entries();
        return u.isEmpty() ? List.of() : List.copyOf(u);
    }

    public Snapshot unstableSnapshot() {
        return unstable.snapshot();
    }

    public boolean hasPendingSnapshot() {
        return unstable.snapshot() != null;
    }

    public boolean hasNextCommittedEntries() {
        long lo = Math.max(applying + 1, firstIndex());
        return committed + 1 > lo;
    }

    /** Committed entries not yet handed out for applying, bounded in bytes. */
    public List<Entry> nextCommittedEntries() {
        long lo = Math.max(applying + 1, firstIndex());
        long hi = committed + 1;
        if (hi <= lo) {
            return List.of();
        }
        return slice(lo, hi, maxApplyingBytes);
    }

    /** The host took entries up to {@code index} for applying. */
    public void acceptApplying(long index) {
        applying = Math.max(applying, index);
    }

    public void appliedTo(long index) {
        if (index == 0) {
            return;
        }
        if (index > committed || index < applied) {
            throw new IllegalStateException("applied " + index + " out of range [" + applied + "," + committed + "]");
        }
        applied = index;
        applying = Math.max(applying, index);
    }

    public void commitTo(long index) {
        if (committed < index) {
            if (lastIndex() < index) {
                throw new IllegalStateException("commit " + index + " is beyond the last index " + lastIndex()
                        + ": was the log corrupted, truncated or lost?");
            }
            committed = index;
        }
    }

    /**
     * Leader side: commits {@code index} if it carries {@code term}, the leader's current
     * term. Entries of earlier terms commit only indirectly (Raft paper §5.4.2).
     */
    public boolean maybeCommit(long index, long term) {
        if (index > committed && termOrZero(index) == term) {
            commitTo(index);
            return true;
        }
        return false;
    }

    public void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    public void stableSnapTo(long index) {
        unstable.stableSnapTo(index);
    }

    /** Replaces the log with a snapshot (a follower installing one from its leader). */
    public void restore(Snapshot snap) {
        committed = snap.index();
        unstable.restore(snap);
    }

    public Snapshot snapshot() {
        Snapshot s = unstable.snapshot();
        return s != null ? s : storage.snapshot();
    }

    /** Entries from {@code index} to the end, bounded in bytes (at least one if any). */
    public List<Entry> entriesFrom(long index, long maxBytes) {
        if (index > lastIndex()) {
            return List.of();
        }
        return slice(index, lastIndex() + 1, maxBytes);
    }

    /** Every entry still held, from the first index to the last; for tests and checks. */
    public List<Entry> allEntries() {
        return entriesFrom(firstIndex(), Long.MAX_VALUE);
    }

    /**
     * Entries in {@code [lo, hi)}, stopping before {@code maxBytes} is exceeded (at least one).
     *
     * @throws LogStorageException.Compacted when {@code lo} is compacted
     */
    public List<Entry> slice(long lo, long hi, long maxBytes) {
        if (lo > hi) {
            throw new IllegalArgumentException("invalid slice " + lo + " > " + hi);
        }
        long first = firstIndex();
        if (lo < first) {
            throw new LogStorageException.Compacted(lo, first);
        }
        if (hi > lastIndex() + 1) {
            throw new LogStorageException.Unavailable(hi - 1, lastIndex());
        }
        if (lo == hi) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        long offset = unstable.offset();
        if (lo < offset) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, offset), maxBytes);
            out.addAll(stored);
            if (stored.size() < Math.min(hi, offset) - lo) {
                return out; // the size limit stopped it
            }
        }
        if (hi > offset) {
            long size = 0;
            for (Entry e : out) {
                size += e.sizeBytes();
            }
            for (Entry e : unstable.slice(Math.max(lo, offset), hi)) {
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
    public String toString() {
        return "log[first=" + firstIndex() + " last=" + lastIndex() + " committed=" + committed + " applied="
                + applied + " unstable@" + unstable.offset() + "]";
    }
}
