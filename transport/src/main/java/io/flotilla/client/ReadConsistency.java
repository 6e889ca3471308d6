package io.flotilla.client;

/** How fresh a read must be. */
public enum ReadConsistency {
    /** Linearizable: the leader confirms its leadership with a round of heartbeats (ReadIndex). */
    LINEARIZABLE,
    /** Served by the leader under its lease, without the heartbeat round; relies on bounded clock drift. */
    LEASE;

    io.flotilla.transport.proto.ReadConsistency toProto() {
        return this == LEASE
                ? io.flotilla.transport.proto.ReadConsistency.LEASE
                : io.flotilla.transport.proto.ReadConsistency.LINEARIZABLE;
    }
}
