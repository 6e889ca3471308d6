package io.flotilla.raft.tracker;

/**
 * The leader's view of one follower (Raft paper §5.3: nextIndex and matchIndex), plus the
 * flow-control state that keeps a leader from flooding a follower that is behind.
 */
public final class Progress {
    private long match;
    private long next;
    private ProgressState state = ProgressState.PROBE;
    private long pendingSnapshot;
    private boolean recentActive;
    private boolean probeSent;
    private boolean learner;
    /** The leader's tick when this follower last answered; {@link #NEVER} before it has. */
    private long heardAt = NEVER;
    /**
     * The window of appends in flight, created when the first one leaves and dropped when the
     * last is acknowledged: a leader of an idle group holds none. Null while empty.
     */
    private Inflights inflights;
    /** Gives the limits of a new window; shared by every follower of a leader. */
    private final Inflights template;

    /** Far enough in the past that no window reaches it, and no subtraction overflows. */
    private static final long NEVER = Long.MIN_VALUE / 4;

    /** @param template an (empty) window whose limits new windows take; it may be shared */
    public Progress(long match, long next, Inflights template, boolean learner) {
        this.match = match;
        this.next = next;
        this.template = template;
        this.learner = learner;
    }

    public long match() { return match; }
    public long next() { return next; }
    public ProgressState state() { return state; }
    public long pendingSnapshot() { return pendingSnapshot; }
    public boolean recentActive() { return recentActive; }
    public boolean isLearner() { return learner; }
    /** The window of appends in flight (an empty one when none is). */
    public Inflights inflights() {
        if (inflights == null) {
            inflights = template.copyEmpty();
        }
        return inflights;
    }

    /** Frees the window up to {@code index}, acknowledged; an emptied window is let go. */
    public void freeInflightsThrough(long index) {
        if (inflights != null) {
            inflights.freeLE(index);
            if (inflights.count() == 0) {
                inflights = null;
            }
        }
    }

    private int inflightCount() {
        return inflights == null ? 0 : inflights.count();
    }
    public boolean probeSent() { return probeSent; }

    public void setRecentActive(boolean active) { recentActive = active; }

    /** The follower answered the leader at the leader's tick {@code tick}: the basis of the lease. */
    public void heardAt(long tick) { heardAt = Math.max(heardAt, tick); }

    /** Whether the follower answered within the last {@code window} ticks before {@code now}. */
    public boolean heardWithin(long now, long window) { return now - heardAt < window; }

    /** Whether the follower answered after tick {@code tick}. */
    public boolean heardSince(long tick) { return heardAt > tick; }
    public void setLearner(boolean learner) { this.learner = learner; }

    /** Lets the leader own its own match index, which moves when its log is persisted. */
    public void setMatch(long match) { this.match = match; }

    private void resetState(ProgressState s) {
        probeSent = false;
        pendingSnapshot = 0;
        state = s;
        inflights = null;
    }

    public void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            // Resume after the snapshot if it got there, else from just past the match.
            long snap = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, snap + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
    }

    public void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /**
     * Records that an append with {@code entries} entries of {@code bytes} bytes, ending at
     * {@code lastIndex}, was sent. In replicate state the window advances optimistically; in
     * probe state one message is allowed until it is answered.
     */
    public void sentEntries(int entries, long bytes, long lastIndex) {
        switch (state) {
            case REPLICATE -> {
                if (entries > 0) {
                    next = lastIndex + 1;
                    inflights().add(lastIndex, bytes);
                }
            }
            case PROBE -> {
                if (entries > 0) {
                    probeSent = true;
                }
            }
            case SNAPSHOT -> throw new IllegalStateException("sending entries in snapshot state");
        }
    }

    /** Starts over for a new term: nothing is known about the follower but what is given. */
    public void resetForNewTerm(long match, long next) {
        resetState(ProgressState.PROBE);
        this.match = match;
        this.next = next;
        this.recentActive = false;
    }

    /** Unblocks a full window by forgetting the oldest message: a heartbeat answer proves the follower is live. */
    public void freeFirstInflight() {
        if (inflightCount() > 0) {
            inflights.freeFirst();
            if (inflights.count() == 0) {
                inflights = null;
            }
        }
    }

    /** Holds back probes until the follower answers something. */
    public void pauseProbe() {
        probeSent = true;
    }

    /** Any answer from the follower lets a probe go out again. */
    public void resumeProbe() {
        probeSent = false;
    }

    /**
     * The follower accepted entries up to {@code n}. Returns false if that tells nothing new
     * (a stale or duplicate acknowledgement).
     */
    public boolean maybeUpdate(long n) {
        boolean updated = false;
        if (match < n) {
            match = n;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, n + 1);
        return updated;
    }

    /**
     * The follower rejected an append at {@code rejected}; {@code matchHint} is an index where
     * it may match. Returns false when the rejection is stale (from an older round).
     */
    public boolean maybeDecreaseTo(long rejected, long matchHint) {
        if (state == ProgressState.REPLICATE) {
            // In replicate state only a rejection of something above match is news.
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        // In probe state only the rejection of the probe we sent (next-1) counts.
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        probeSent = false;
        return true;
    }

    /** Whether the leader should hold back appends to this follower for now. */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights != null && inflights.full();
            case SNAPSHOT -> true;
        };
    }

    /** A fresh progress for a new member, starting at the leader's last index. */
    public static Progress fresh(long next, Inflights template, boolean learner) {
        Progress p = new Progress(0, next, template, learner);
        // A member that was just added counts as active so check-quorum does not fire on it at once.
        p.recentActive = true;
        return p;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(state).append(" match=").append(match).append(" next=").append(next);
        if (learner) {
            s.append(" learner");
        }
        if (state == ProgressState.SNAPSHOT) {
            s.append(" pendingSnap=").append(pendingSnapshot);
        }
        if (probeSent) {
            s.append(" paused");
        }
        if (inflightCount() > 0) {
            s.append(" inflight=").append(inflights.count());
            if (inflights.full()) {
                s.append("[full]");
            }
        }
        return s.toString();
    }
}
