package io.flotilla.raft.message;

/**
 * Every kind of message a Raft group exchanges. Local kinds never leave the node: they are
 * how the host feeds events (a tick's election timeout, a heartbeat round, a proposal) into
 * {@code Raft.step} through the same door as network traffic.
 */
public enum MessageType {
    /** Local: start an election (election timeout or an explicit campaign). */
    HUP(true),
    /** Local: the leader's heartbeat timer fired. */
    BEAT(true),
    /** A proposal; local on the leader, forwarded by followers. */
    PROPOSE(false),
    APPEND(false),
    APPEND_RESPONSE(false),
    VOTE(false),
    VOTE_RESPONSE(false),
    PRE_VOTE(false),
    PRE_VOTE_RESPONSE(false),
    SNAPSHOT(false),
    HEARTBEAT(false),
    HEARTBEAT_RESPONSE(false),
    /** Local: the transport could not reach a peer. */
    UNREACHABLE(true),
    /** Local: the outcome of sending a snapshot to a peer. */
    SNAPSHOT_STATUS(true),
    /** Local: the leader's check-quorum timer fired. */
    CHECK_QUORUM(true),
    /** Ask the leader to hand leadership to {@code from}; local or forwarded. */
    TRANSFER_LEADER(false),
    /** Tells the transferee to campaign at once, ignoring its election timer. */
    TIMEOUT_NOW(false),
    READ_INDEX(false),
    READ_INDEX_RESPONSE(false);

    private final boolean local;

    MessageType(boolean local) {
        this.local = local;
    }

    /** Local messages are events from the host, never sent over the network. */
    public boolean isLocal() {
        return local;
    }

    public boolean isResponse() {
        return this == APPEND_RESPONSE || this == VOTE_RESPONSE || this == PRE_VOTE_RESPONSE
                || this == HEARTBEAT_RESPONSE || this == READ_INDEX_RESPONSE || this == UNREACHABLE;
    }

    public boolean isVoteRequest() {
        return this == VOTE || this == PRE_VOTE;
    }

    /** The response kind that answers this vote request kind. */
    public MessageType voteResponse() {
        return switch (this) {
            case VOTE -> VOTE_RESPONSE;
            case PRE_VOTE -> PRE_VOTE_RESPONSE;
            default -> throw new IllegalStateException("not a vote request: " + this);
        };
    }

    /**
     * Messages that attest to durable state: an append acknowledgement claims the entries are
     * on disk, a vote grant claims the vote is on disk, and a vote request claims the
     * candidate's own vote is. They may leave only after the Ready that produced them was
     * persisted (Raft paper §5.1, thesis §3.8). Everything else may leave at once, which lets a
     * leader replicate in parallel with its own write (thesis §10.2.1).
     */
    public boolean waitsForPersistence() {
        return this == APPEND_RESPONSE || this == VOTE_RESPONSE || this == VOTE;
    }
}
