package io.flotilla.transport.raft;

import java.util.Map;

/**
 * What the sending side of the transport has done.
 *
 * @param peers                per peer node, keyed by node id
 * @param droppedUnknownNode   envelopes dropped because the book had no address for their node (or
 *                             they were addressed to this node itself)
 * @param droppedAfterClose    envelopes offered after {@link GrpcRaftTransport#close()}
 */
public record TransportStats(Map<Long, PeerStats> peers, long droppedUnknownNode, long droppedAfterClose) {

    public TransportStats {
        peers = Map.copyOf(peers);
    }

    /** The counters of one peer, or all zeros if nothing was ever sent to it. */
    public PeerStats peer(long nodeId) {
        PeerStats p = peers.get(nodeId);
        return p != null ? p : new PeerStats(nodeId, null, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
