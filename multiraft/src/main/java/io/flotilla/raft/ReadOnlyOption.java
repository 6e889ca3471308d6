package io.flotilla.raft;

/** How a leader confirms it is still leader before serving a read (Raft thesis §6.4). */
public enum ReadOnlyOption {
    /** A heartbeat round to a quorum confirms leadership for a batch of reads. */
    SAFE,
    /**
     * Trust the leader lease that check-quorum maintains; no round trip. Correct only while
     * clocks drift less than the election timeout allows.
     */
    LEASE_BASED
}
