package io.flotilla.raft.quorum;

import java.util.Objects;
import java.util.TreeSet;
import java.util.SortedSet;

/**
 * Two majority configurations that must both agree (joint consensus, Raft thesis §4.3). A
 * plain configuration is a joint one whose outgoing half is empty.
 */
public record JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {

    public JointConfig {
        Objects.requireNonNull(incoming, "incoming");
        Objects.requireNonNull(outgoing, "outgoing");
    }

    public static JointConfig simple(MajorityConfig voters) {
        return new JointConfig(voters, MajorityConfig.EMPTY);
    }

    public boolean isJoint() {
        return !outgoing.isEmpty();
    }

    public boolean contains(long id) {
        return incoming.contains(id) || outgoing.contains(id);
    }

    /** Every voter of either half, ascending. */
    public SortedSet<Long> ids() {
        TreeSet<Long> all = new TreeSet<>(incoming.ids());
        all.addAll(outgoing.ids());
        return all;
    }

    /** The largest index both halves have committed. */
    public long committedIndex(AckedIndexer acked) {
        return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
    }

    /** WON only if both halves won; LOST if either lost. */
    public VoteResult voteResult(VoteLookup votes) {
        VoteResult in = incoming.voteResult(votes);
        VoteResult out = outgoing.voteResult(votes);
        if (in == out) {
            return in;
        }
        if (in == VoteResult.LOST || out == VoteResult.LOST) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    @Override
    public String toString() {
        return isJoint() ? incoming + "&&" + outgoing : incoming.toString();
    }
}
