package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.engine.MessageSender;
import io.flotilla.raft.message.MessageType;
import io.flotilla.transport.proto.StreamFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's {@link MessageSender} over gRPC: one channel and one long-lived Stream call per
 * destination node, opened on first send, each starting with a Hello.
 *
 * <p>{@link #send} is called by engine workers and never blocks: it encodes the envelope (cut
 * into parts if it is large) and puts the frames on the peer's bounded queue; when the peer's
 * stream is up and idle it writes them at once, else a drainer on this transport's two sender
 * threads writes them as the call's flow control allows (see {@link PeerLink}). SNAPSHOT messages are taken out of the envelope and sent on Snapshot calls
 * of their own (see {@link SnapshotSender}). Delivery is best effort — Raft tolerates loss,
 * duplication and reordering — but every frame arrives whole or not at all.</p>
 *
 * <p>The engine reports every SNAPSHOT as sent once handed over, and this transport has no
 * hook to report an unreachable peer or a failed snapshot back to the group; Raft recovers
 * from both through its own probes, only more slowly.</p>
 */
public final class GrpcRaftTransport implements MessageSender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GrpcRaftTransport.class);
    private static final int SENDER_THREADS = 2;
    private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long selfNodeId;
    private final AddressBook book;
    private final RaftTransportOptions options;
    private final PeerLink.Context linkContext;
    private final ScheduledThreadPoolExecutor executor;
    private final SnapshotSender snapshots;
    private final Map<Long, PeerLink> peers = new ConcurrentHashMap<>();
    private final AddressBook.Listener addressListener;
    private final LongAdder droppedUnknownNode = new LongAdder();
    private final LongAdder droppedAfterClose = new LongAdder();
    private volatile boolean closed;

    /**
     * @param clusterId   every Hello carries it; peers of another cluster refuse the stream
     * @param selfNodeId  this node
     * @param selfAddress where this node's gRPC server listens, passed on in every Hello
     * @param book        where the peers listen; learns more from peers' Hellos on the server side
     */
    public GrpcRaftTransport(long clusterId, long selfNodeId, String selfAddress, AddressBook book,
                             RaftTransportOptions options) {
        AddressBook.validate(selfNodeId, selfAddress);
        this.selfNodeId = selfNodeId;
        this.book = java.util.Objects.requireNonNull(book, "book");
        this.options = java.util.Objects.requireNonNull(options, "options");
        AtomicInteger threadNo = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(SENDER_THREADS, r -> {
            Thread t = new Thread(r, "flotilla-raft-send-" + selfNodeId + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.linkContext = new PeerLink.Context(clusterId, selfNodeId, selfAddress, book, options, executor);
        this.snapshots = new SnapshotSender(clusterId, selfNodeId, options);
        // A peer that moved is redialled by its drainer, which compares addresses when it wakes.
        this.addressListener = (nodeId, address) -> {
            PeerLink p = peers.get(nodeId);
            if (p != null) {
                p.scheduleDrain();
            }
        };
        book.addListener(addressListener);
    }

    /** Hands an envelope to the network. Never blocks; see the class comment. */
    @Override
    public void send(Envelope envelope) {
        if (closed) {
            droppedAfterClose.increment();
            return;
        }
        PeerLink peer = peerFor(envelope.toNode());
        if (peer == null) {
            droppedUnknownNode.increment();
            return;
        }
        if (envelope.messages().stream().anyMatch(GrpcRaftTransport::isSnapshot)) {
            // Snapshot data goes on Snapshot calls of its own; the rest of the envelope goes on.
            List<GroupMessage> rest = new ArrayList<>(envelope.messages().size());
            for (GroupMessage gm : envelope.messages()) {
                if (isSnapshot(gm)) {
                    snapshots.submit(peer, gm);
                } else {
                    rest.add(gm);
                }
            }
            envelope = new Envelope(envelope.fromNode(), envelope.toNode(), rest, envelope.heartbeats(),
                    envelope.heartbeatResponses());
            if (envelope.isEmpty()) {
                return; // it carried only snapshots; an empty remainder is not worth a frame
            }
        }
        EnvelopeSplitter.Split split = EnvelopeSplitter.split(envelope, options.maxEnvelopeBytes());
        if (split.droppedItems() > 0) {
            // The Raft core caps a message well below maxEnvelopeBytes: this is a misconfiguration.
            peer.countDropped(1);
            log.warn("{} message(s) to node {} larger than maxEnvelopeBytes={} dropped", split.droppedItems(),
                    envelope.toNode(), options.maxEnvelopeBytes());
        }
        for (StreamFrame f : split.frames()) {
            peer.enqueue(f);
        }
    }

    private static boolean isSnapshot(GroupMessage gm) {
        return gm.message().type() == MessageType.SNAPSHOT;
    }

    /** The link to {@code nodeId}, created on first use; null for this node itself or an unknown one. */
    private PeerLink peerFor(long nodeId) {
        PeerLink p = peers.get(nodeId);
        if (p != null) {
            return p;
        }
        if (nodeId == selfNodeId || book.get(nodeId) == null) {
            return null;
        }
        return peers.computeIfAbsent(nodeId, id -> new PeerLink(id, linkContext));
    }

    /** The link to {@code nodeId} if one was made; for tests of the link's behaviour. */
    PeerLink link(long nodeId) {
        return peers.get(nodeId);
    }

    /** A snapshot of every counter, per peer. */
    public TransportStats stats() {
        Map<Long, PeerStats> out = new TreeMap<>();
        for (PeerLink p : peers.values()) {
            out.put(p.nodeId(), p.stats());
        }
        return new TransportStats(out, droppedUnknownNode.sum(), droppedAfterClose.sum());
    }

    public RaftTransportOptions options() {
        return options;
    }

    /**
     * Stops sending: half-closes every stream, cancels snapshot calls, drops what is queued and
     * waits (at most a few seconds) for the channels to close.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        book.removeListener(addressListener);
        snapshots.close();
        for (PeerLink p : peers.values()) {
            p.close();
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
        try {
            for (PeerLink p : peers.values()) {
                p.awaitClosed(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
    }
}
