package io.flotilla.raft;

/** A proposal that was not appended; the reason tells the client whether and where to retry. */
public final class ProposalDroppedException extends RuntimeException {
    /** Why the proposal was dropped. */
    public enum Reason {
        /** No leader is known; retry after an election. */
        NO_LEADER,
        /** Leadership is being transferred; retry at the new leader. */
        TRANSFER_IN_PROGRESS,
        /** This follower does not forward proposals; send to the leader. */
        FORWARDING_DISABLED,
        /** The leader holds too many uncommitted bytes; back off. */
        UNCOMMITTED_LIMIT,
        /** A membership change is pending, or it does not fit the joint state. */
        CONF_CHANGE_REFUSED,
        /** This replica is no longer a member of the group. */
        NOT_A_MEMBER
    }

    private final Reason reason;
    private final long leaderHint;

    public ProposalDroppedException(Reason reason, long leaderHint, String detail) {
        super(reason + (detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.reason = reason;
        this.leaderHint = leaderHint;
    }

    public Reason reason() {
        return reason;
    }

    /** The leader this replica knows of, or 0. */
    public long leaderHint() {
        return leaderHint;
    }
}
