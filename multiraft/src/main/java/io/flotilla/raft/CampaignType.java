package io.flotilla.raft;

/** Why a replica campaigns, which decides whether it pre-votes and overrides leader leases. */
public enum CampaignType {
    /** A pre-vote round that changes no term or vote, then a real election if won. */
    PRE_ELECTION,
    /** A real election at term+1. */
    ELECTION,
    /** A real election asked for by the leader (TimeoutNow): skips pre-vote and leases. */
    TRANSFER
}
