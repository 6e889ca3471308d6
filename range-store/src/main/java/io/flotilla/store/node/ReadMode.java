package io.flotilla.store.node;

/** The guarantee a read asks for; both observe every write acknowledged before the read began. */
public enum ReadMode {
    /** Leadership confirmed by a round of heartbeats (ReadIndex, Raft thesis §6.4). */
    LINEARIZABLE,
    /**
     * Served by the leader under its lease, without that round (thesis §6.4.1); without a valid
     * lease, or with lease reads off in the engine (the default), the engine takes the ReadIndex
     * round instead.
     */
    LEASE
}
