package io.flotilla.placement.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One range as placement sees it: its span {@code [start, end)} (an empty end means "to the
 * end"), replicas, leader, epoch, size and load, and an optional leader preference.
 *
 * @param leaderNodeId the node its live leader runs on, or {@link #NO_LEADER} when none is known
 */
public record RangeInfo(long rangeId, Key start, Key end, List<Replica> replicas, long leaderNodeId,
                        long version, long confVersion, RangeStats stats, Optional<LeaderPreference> preference) {

    public static final long NO_LEADER = 0;

    public RangeInfo {
        if (rangeId <= 0) {
            throw new IllegalArgumentException("range id must be positive, got " + rangeId);
        }
        if (start == null || end == null) {
            throw new IllegalArgumentException("range " + rangeId + " needs start and end keys");
        }
        if (!end.isEmpty() && end.compareTo(start) <= 0) {
            throw new IllegalArgumentException("range " + rangeId + " has end " + end + " not after start " + start);
        }
        if (leaderNodeId < 0) {
            throw new IllegalArgumentException("range " + rangeId + " has a negative leader node id");
        }
        replicas = List.copyOf(replicas);
        stats = stats == null ? RangeStats.EMPTY : stats;
        preference = preference == null ? Optional.empty() : preference;
    }

    // Loops, not streams: policies call these for every range on every tick.
    public List<Replica> voters() {
        List<Replica> voters = new ArrayList<>(replicas.size());
        for (Replica r : replicas) {
            if (r.isVoter()) {
                voters.add(r);
            }
        }
        return voters;
    }

    public List<Replica> learners() {
        List<Replica> learners = new ArrayList<>(1);
        for (Replica r : replicas) {
            if (r.learner()) {
                learners.add(r);
            }
        }
        return learners;
    }

    public boolean hasLearners() {
        for (Replica r : replicas) {
            if (r.learner()) {
                return true;
            }
        }
        return false;
    }

    /** The replica on {@code nodeId}, if any (the first, should a bug have placed two there). */
    public Optional<Replica> replicaOn(long nodeId) {
        for (Replica r : replicas) {
            if (r.nodeId() == nodeId) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public boolean hasReplicaOn(long nodeId) {
        return replicaOn(nodeId).isPresent();
    }

    public OptionalLong leader() {
        return leaderNodeId == NO_LEADER ? OptionalLong.empty() : OptionalLong.of(leaderNodeId);
    }

    /** Whether {@code key} splits the range into two non-empty halves. */
    public boolean isInterior(Key key) {
        return key.compareTo(start) > 0 && (end.isEmpty() || key.compareTo(end) < 0);
    }

    public RangeInfo withLeader(long nodeId) {
        return new RangeInfo(rangeId, start, end, replicas, nodeId, version, confVersion, stats, preference);
    }

    public RangeInfo withReplicas(List<Replica> newReplicas) {
        return new RangeInfo(rangeId, start, end, newReplicas, leaderNodeId, version, confVersion, stats, preference);
    }

    public RangeInfo withStats(RangeStats newStats) {
        return new RangeInfo(rangeId, start, end, replicas, leaderNodeId, version, confVersion, newStats, preference);
    }

    public RangeInfo withPreference(Optional<LeaderPreference> newPreference) {
        return new RangeInfo(rangeId, start, end, replicas, leaderNodeId, version, confVersion, stats, newPreference);
    }
}
