package io.flotilla.raft.tracker;

import io.flotilla.raft.quorum.VoteLookup;
import io.flotilla.raft.quorum.VoteResult;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The leader's (and candidate's) bookkeeping: the configuration in force, a {@link Progress}
 * per member, and the votes of the current election. Ordered maps keep every walk over the
 * members in ascending id order, so runs are reproducible.
 */
public final class ProgressTracker {
    private TrackerConfig config = TrackerConfig.EMPTY;
    private SortedMap<Long, Progress> progress = new TreeMap<>();
    private final TreeMap<Long, Boolean> votes = new TreeMap<>();
    private final int maxInflightMsgs;
    private final long maxInflightBytes;

    public ProgressTracker(int maxInflightMsgs, long maxInflightBytes) {
        this.maxInflightMsgs = maxInflightMsgs;
        this.maxInflightBytes = maxInflightBytes;
    }

    public TrackerConfig config() {
        return config;
    }

    public SortedMap<Long, Progress> progress() {
        return Collections.unmodifiableSortedMap(progress);
    }

    public Progress get(long id) {
        return progress.get(id);
    }

    public Inflights newInflights() {
        return new Inflights(maxInflightMsgs, maxInflightBytes);
    }

    /** Installs a configuration and its progress map, as produced by the conf-change logic. */
    public void install(TrackerConfig config, SortedMap<Long, Progress> progress) {
        this.config = config;
        this.progress = new TreeMap<>(progress);
        // The learner flag is derived from the configuration, so it is set here and nowhere else.
        this.progress.forEach((id, p) -> p.setLearner(config.isLearner(id)));
    }

    /** Visits every member (voters and learners) in ascending id order. */
    public void forEach(BiConsumer<Long, Progress> visitor) {
        for (Map.Entry<Long, Progress> e : progress.entrySet()) {
            visitor.accept(e.getKey(), e.getValue());
        }
    }

    /** The highest index a quorum of voters has durable: the commit candidate (§5.3, §5.4.2). */
    public long committed() {
        return config.voters().committedIndex(id -> {
            Progress p = progress.get(id);
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
            Progress p = progress.get(id);
            return p != null && p.recentActive() ? VoteLookup.GRANTED : VoteLookup.REJECTED;
        }) == VoteResult.WON;
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records a voter's answer; the first answer from a voter is the one that counts. */
    public void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    public VoteResult tallyVotes() {
        return config.voters().voteResult(id -> {
            Boolean v = votes.get(id);
            return v == null ? VoteLookup.MISSING : v ? VoteLookup.GRANTED : VoteLookup.REJECTED;
        });
    }

    public int grantedVotes() {
        return (int) votes.values().stream().filter(v -> v).count();
    }

    public int rejectedVotes() {
        return (int) votes.values().stream().filter(v -> !v).count();
    }
}
