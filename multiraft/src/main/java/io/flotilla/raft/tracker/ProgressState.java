package io.flotilla.raft.tracker;

/** How the leader is replicating to one follower. */
public enum ProgressState {
    /** One append at a time until the follower's match index is found. */
    PROBE,
    /** Optimistic pipelining of appends within the inflight window. */
    REPLICATE,
    /** A snapshot is on its way; nothing else is sent until it is reported. */
    SNAPSHOT
}
