package io.flotilla.transport.raft;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Every knob of the node-to-node Raft transport, sender and receiver side, with defaults, in one
 * place.
 *
 * @param maxQueuedEnvelopes     envelopes waiting for one peer before the oldest are dropped
 * @param maxQueuedBytes         encoded bytes waiting for one peer before the oldest are dropped
 * @param maxEnvelopeBytes       an engine envelope larger than this is cut into several, so one
 *                               frame never trips the receiver's message limit nor sits for long
 *                               in front of the heartbeats queued behind it. The 2 MiB default
 *                               holds a full 1 MiB Raft append and stays under gRPC's default
 *                               4 MiB limit, so a server left at defaults still accepts it
 * @param snapshotChunkBytes     data bytes per chunk on the Snapshot call
 * @param maxConcurrentSnapshots snapshots in flight at once, sent by this node and, separately,
 *                               received by it
 * @param maxPendingSnapshots    snapshots waiting for a sending slot; more are dropped (the
 *                               leader sends another when the follower still lags)
 * @param backoffMin             first delay before reconnecting to a peer whose stream failed
 * @param backoffMax             longest such delay; also how long a stream must have lived for
 *                               its failure to restart the backoff from {@code backoffMin}
 * @param snapshotTimeout        deadline of one Snapshot call
 * @param maxInboundMessageBytes largest gRPC message accepted; the node's ServerBuilder must
 *                               allow at least this much (see {@link RaftTransportService})
 * @param maxSnapshotBytes       largest snapshot a receiver reassembles
 */
public record RaftTransportOptions(int maxQueuedEnvelopes, long maxQueuedBytes, int maxEnvelopeBytes,
                                   int snapshotChunkBytes, int maxConcurrentSnapshots, int maxPendingSnapshots,
                                   Duration backoffMin, Duration backoffMax, Duration snapshotTimeout,
                                   int maxInboundMessageBytes, long maxSnapshotBytes) {

    /** Room for the frame and field headers around an envelope or chunk of the maximum size. */
    static final int FRAME_OVERHEAD_BYTES = 1024;
    /** A Java array cannot hold more; the receiver reassembles a snapshot into one. */
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    public RaftTransportOptions {
        Objects.requireNonNull(backoffMin, "backoffMin");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(snapshotTimeout, "snapshotTimeout");
        if (maxQueuedEnvelopes <= 0 || maxQueuedBytes <= 0 || maxEnvelopeBytes <= 0 || snapshotChunkBytes <= 0
                || maxConcurrentSnapshots <= 0 || maxPendingSnapshots < 0 || maxInboundMessageBytes <= 0
                || maxSnapshotBytes <= 0) {
            throw new IllegalArgumentException("sizes and counts must be positive (maxPendingSnapshots may be 0): "
                    + "maxQueuedEnvelopes=" + maxQueuedEnvelopes + " maxQueuedBytes=" + maxQueuedBytes
                    + " maxEnvelopeBytes=" + maxEnvelopeBytes + " snapshotChunkBytes=" + snapshotChunkBytes
                    + " maxConcurrentSnapshots=" + maxConcurrentSnapshots + " maxPendingSnapshots="
                    + maxPendingSnapshots + " maxInboundMessageBytes=" + maxInboundMessageBytes
                    + " maxSnapshotBytes=" + maxSnapshotBytes);
        }
        if (backoffMin.isNegative() || backoffMin.isZero() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("need 0 < backoffMin <= backoffMax, got " + backoffMin + " and "
                    + backoffMax);
        }
        if (snapshotTimeout.isNegative() || snapshotTimeout.isZero()) {
            throw new IllegalArgumentException("snapshotTimeout must be positive, got " + snapshotTimeout);
        }
        if ((long) maxEnvelopeBytes + FRAME_OVERHEAD_BYTES > maxInboundMessageBytes
                || (long) snapshotChunkBytes + FRAME_OVERHEAD_BYTES > maxInboundMessageBytes) {
            throw new IllegalArgumentException("maxEnvelopeBytes (" + maxEnvelopeBytes + ") and snapshotChunkBytes ("
                    + snapshotChunkBytes + ") must leave " + FRAME_OVERHEAD_BYTES
                    + " bytes under maxInboundMessageBytes (" + maxInboundMessageBytes + ")");
        }
        if (maxQueuedBytes < maxEnvelopeBytes) {
            // Otherwise one full-size envelope would push itself out of its own queue.
            throw new IllegalArgumentException("maxQueuedBytes (" + maxQueuedBytes
                    + ") must hold at least one envelope of maxEnvelopeBytes (" + maxEnvelopeBytes + ")");
        }
        if (maxSnapshotBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxSnapshotBytes must be at most " + MAX_ARRAY_BYTES + ", got "
                    + maxSnapshotBytes);
        }
    }

    /**
     * Defaults: 1,024 envelopes or 32 MiB queued per peer, 2 MiB envelopes, 1 MiB snapshot
     * chunks, 2 snapshots at a time with 16 waiting, reconnect backoff 100 ms to 5 s, 5-minute
     * snapshot deadline, 16 MiB messages, 512 MiB snapshots.
     */
    public static RaftTransportOptions defaults() {
        return new RaftTransportOptions(1024, 32L << 20, 2 << 20, 1 << 20, 2, 16, Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 16 << 20, 512L << 20);
    }

    public RaftTransportOptions withQueueBound(int envelopes, long bytes) {
        return copy(d -> {
            d.maxQueuedEnvelopes = envelopes;
            d.maxQueuedBytes = bytes;
        });
    }

    public RaftTransportOptions withMaxEnvelopeBytes(int bytes) {
        return copy(d -> d.maxEnvelopeBytes = bytes);
    }

    public RaftTransportOptions withSnapshotChunkBytes(int bytes) {
        return copy(d -> d.snapshotChunkBytes = bytes);
    }

    public RaftTransportOptions withMaxConcurrentSnapshots(int n) {
        return copy(d -> d.maxConcurrentSnapshots = n);
    }

    public RaftTransportOptions withMaxPendingSnapshots(int n) {
        return copy(d -> d.maxPendingSnapshots = n);
    }

    public RaftTransportOptions withBackoff(Duration min, Duration max) {
        return copy(d -> {
            d.backoffMin = min;
            d.backoffMax = max;
        });
    }

    public RaftTransportOptions withSnapshotTimeout(Duration timeout) {
        return copy(d -> d.snapshotTimeout = timeout);
    }

    public RaftTransportOptions withMaxInboundMessageBytes(int bytes) {
        return copy(d -> d.maxInboundMessageBytes = bytes);
    }

    public RaftTransportOptions withMaxSnapshotBytes(long bytes) {
        return copy(d -> d.maxSnapshotBytes = bytes);
    }

    private RaftTransportOptions copy(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    /** A mutable copy, so each wither names only the fields it changes. */
    private static final class Draft {
        int maxQueuedEnvelopes;
        long maxQueuedBytes;
        int maxEnvelopeBytes;
        int snapshotChunkBytes;
        int maxConcurrentSnapshots;
        int maxPendingSnapshots;
        Duration backoffMin;
        Duration backoffMax;
        Duration snapshotTimeout;
        int maxInboundMessageBytes;
        long maxSnapshotBytes;

        Draft(RaftTransportOptions o) {
            maxQueuedEnvelopes = o.maxQueuedEnvelopes;
            maxQueuedBytes = o.maxQueuedBytes;
            maxEnvelopeBytes = o.maxEnvelopeBytes;
            snapshotChunkBytes = o.snapshotChunkBytes;
            maxConcurrentSnapshots = o.maxConcurrentSnapshots;
            maxPendingSnapshots = o.maxPendingSnapshots;
            backoffMin = o.backoffMin;
            backoffMax = o.backoffMax;
            snapshotTimeout = o.snapshotTimeout;
            maxInboundMessageBytes = o.maxInboundMessageBytes;
            maxSnapshotBytes = o.maxSnapshotBytes;
        }

        RaftTransportOptions build() {
            return new RaftTransportOptions(maxQueuedEnvelopes, maxQueuedBytes, maxEnvelopeBytes, snapshotChunkBytes,
                    maxConcurrentSnapshots, maxPendingSnapshots, backoffMin, backoffMax, snapshotTimeout,
                    maxInboundMessageBytes, maxSnapshotBytes);
        }
    }
}
