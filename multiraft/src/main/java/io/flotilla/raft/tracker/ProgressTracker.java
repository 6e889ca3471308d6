package io.flotilla.raft.tracker;

import io.flotilla.raft.quorum.VoteLookup;
import io.flotilla.raft.quorum.VoteResult;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The configuration in force, a leader's {@link Progress} per member, and a candidate's votes.
 * Ordered maps keep every walk over the members in ascending id order, so runs are
 * reproducible.
 *
 * <p>Progress is a leader's business: a replica that does not lead keeps none (a node hosts
 * tens of thousands of followers, and every Progress with its window would sit idle there).
 * The core calls {@link #stopTracking()} when a replica leaves leadership and
 * {@link #startTracking} when it wins; a tracker made on its own tracks from the start.</p>
 */
public final class ProgressTracker {
    private TrackerConfig config = TrackerConfig.EMPTY;
    // Every member's progress, ascending by id, as two arrays (a TreeMap costs three times the
    // bytes, and a leader of an idle group keeps its map for good). Null while not tracking.
    private Long[] ids = new Long[0];
    private Progress[] progress = new Progress[0];
    /** Null until the first vote of an election is recorded. */
    private TreeMap<Long, Boolean> votes;
    private final int maxInflightMsgs;
    private final long maxInflightBytes;
    /** The limits every follower's window takes; never filled itself. Made when tracking starts. */
    private Inflights windowTemplate;

    public ProgressTracker(int maxInflightMsgs, long maxInflightBytes) {
        this.maxInflightMsgs = maxInflightMsgs;
        this.maxInflightBytes = maxInflightBytes;
    }

    public TrackerConfig config() {
        return config;
    }

    /** Whether progress is tracked (a leader's tracker); otherwise only the configuration is kept. */
    public boolean isTracking() {
        return progress != null;
    }

    /** Drops every member's progress; the configuration stays. */
    public void stopTracking() {
        ids = null;
        progress = null;
    }

    /**
     * Starts tracking afresh for a new leader: every member probes from {@code next}, with
     * nothing known matched but {@code selfMatch} for {@code self} (Raft paper §5.3).
     */
    public void startTracking(long self, long selfMatch, long next) {
        if (windowTemplate == null) {
            windowTemplate = newInflights();
        }
        TreeMap<Long, Progress> fresh = new TreeMap<>();
        for (long member : config.members()) {
            fresh.put(member, new Progress(member == self ? selfMatch : 0, next, windowTemplate,
                    config.isLearner(member)));
        }
        setProgress(fresh);
    }

    private void setProgress(SortedMap<Long, Progress> byId) {
        ids = byId.keySet().toArray(new Long[0]);
        progress = byId.values().toArray(new Progress[0]);
    }

    /** Every member's progress while tracking, as a new map (the Progress objects are the live ones); empty otherwise. */
    public SortedMap<Long, Progress> progress() {
        if (progress == null) {
            return Collections.emptySortedMap();
        }
        TreeMap<Long, Progress> m = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], progress[i]);
        }
        return Collections.unmodifiableSortedMap(m);
    }

    /** The progress of {@code id}, or null when it is not a member or progress is not tracked. */
    public Progress get(long id) {
        if (progress == null) {
            return null;
        }
        for (int i = 0; i < ids.length; i++) { // a handful of members: a scan beats a search
            if (ids[i] == id) {
                return progress[i];
            }
        }
        return null;
    }

    /** Whether {@code id} is in the configuration (voter, learner or leaving voter). */
    public boolean isMember(long id) {
        return config.isMember(id);
    }

    public Inflights newInflights() {
        return new Inflights(maxInflightMsgs, maxInflightBytes);
    }

    /**
     * Installs a configuration and, while tracking, its progress map as produced by the
     * conf-change logic (which must then hold one for every member).
     */
    public void install(TrackerConfig config, SortedMap<Long, Progress> progress) {
        this.config = config;
        if (this.progress == null) {
            return;
        }
        if (progress == null) {
            throw new IllegalArgumentException("a tracking tracker needs the progress of the new configuration");
        }
        setProgress(new TreeMap<>(progress));
        // The learner flag is derived from the configuration, so it is set here and nowhere else.
        forEach((id, p) -> p.setLearner(config.isLearner(id)));
    }

    /** Visits every member's progress in ascending id order; nothing while not tracking. */
    public void forEach(BiConsumer<Long, Progress> visitor) {
        if (progress == null) {
            return;
        }
        Long[] members = ids;
        Progress[] ps = progress;
        for (int i = 0; i < members.length; i++) {
            visitor.accept(members[i], ps[i]);
        }
    }

    /** The highest index a quorum of voters has durable: the commit candidate (§5.3, §5.4.2). */
    public long committed() {
        return config.voters().committedIndex(id -> {
            Progress p = get(id);
            return p == null ? 0 : p.match();
        });
    }

    /** True when this group has exactly one voter and it is {@code id}. */
    public boolean isSingleVoter(long id) {
        return !config.voters().isJoint() && config.voters().incoming().size() == 1
                && config.voters().incoming().contains(id);
    }

    /**
     * Whether a quorum was recently active, as seen by {@code self}; used by check-quorum. A
     * leader always counts itself.
     */
    public boolean quorumActive(long self) {
        return config.voters().voteResult(id -> {
            if (id == self) {
                return VoteLookup.GRANTED;
            }
            Progress p = get(id);
            return p != null && p.recentActive() ? VoteLookup.GRANTED : VoteLookup.REJECTED;
        }) == VoteResult.WON;
    }

    public void resetVotes() {
        votes = null;
    }

    /** Records a voter's answer; the first answer from a voter is the one that counts. */
    public void recordVote(long id, boolean granted) {
        if (votes == null) {
            votes = new TreeMap<>();
        }
        votes.putIfAbsent(id, granted);
    }

    public VoteResult tallyVotes() {
        return config.voters().voteResult(id -> {
            Boolean v = votes == null ? null : votes.get(id);
            return v == null ? VoteLookup.MISSING : v ? VoteLookup.GRANTED : VoteLookup.REJECTED;
        });
    }

    public int grantedVotes() {
        return votes == null ? 0 : (int) votes.values().stream().filter(v -> v).count();
    }

    public int rejectedVotes() {
        return votes == null ? 0 : (int) votes.values().stream().filter(v -> !v).count();
    }
}
