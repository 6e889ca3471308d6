package io.flotilla.transport.raft;

/**
 * Counters of the traffic to one peer node since the transport started.
 *
 * @param nodeId            the peer
 * @param address           where it was last dialled (null before the first dial)
 * @param connected         a stream to it is open (it may still be connecting)
 * @param queuedEnvelopes   envelopes waiting to be written now
 * @param queuedBytes       their encoded bytes
 * @param envelopesSent     envelopes handed to the stream (an engine envelope cut in parts counts
 *                          each part)
 * @param bytesSent         their encoded bytes
 * @param envelopesDropped  envelopes dropped: queue full (oldest first), too large, or the
 *                          transport closed
 * @param streamFailures    streams that ended in an error or were ended by the peer
 * @param reconnects        streams opened after the first
 * @param snapshotsSent     snapshots the peer acknowledged
 * @param snapshotsFailed   snapshot calls that failed or were refused
 * @param snapshotsDropped  snapshots dropped before sending (superseded or too many waiting)
 * @param snapshotChunksSent data chunks written on snapshot calls
 */
public record PeerStats(long nodeId, String address, boolean connected, int queuedEnvelopes, long queuedBytes,
                        long envelopesSent, long bytesSent, long envelopesDropped, long streamFailures,
                        long reconnects, long snapshotsSent, long snapshotsFailed, long snapshotsDropped,
                        long snapshotChunksSent) {
}
