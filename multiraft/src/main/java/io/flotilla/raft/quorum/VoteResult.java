package io.flotilla.raft.quorum;

/** The state of an election tally. */
public enum VoteResult {
    /** Neither a quorum of grants nor enough rejections to rule one out yet. */
    PENDING,
    LOST,
    WON
}
