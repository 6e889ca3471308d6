package io.flotilla.transport.raft;

import com.google.protobuf.UnsafeByteOperations;
import io.flotilla.engine.GroupMessage;
import io.flotilla.transport.proto.RaftTransportGrpc;
import io.flotilla.transport.proto.SnapshotChunk;
import io.flotilla.transport.proto.SnapshotDone;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends SNAPSHOT messages, each on a Snapshot call of its own (header, then data chunks written
 * as flow control allows), at most {@code maxConcurrentSnapshots} at a time across all peers.
 * Being separate calls, they never hold up the envelope stream's heartbeats.
 *
 * <p>A snapshot waiting for a slot is replaced by a newer one for the same peer and group (only
 * the newest is worth sending), and past {@code maxPendingSnapshots} the oldest waiting one is
 * dropped: the leader sends another if the follower still lags.</p>
 */
final class SnapshotSender {
    private static final Logger log = LoggerFactory.getLogger(SnapshotSender.class);

    private record Pending(PeerLink peer, GroupMessage message) {
    }

    private final long selfNodeId;
    private final RaftTransportOptions options;
    private final ClientInterceptor clusterHeader;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final Set<Call> active = new HashSet<>();
    private boolean closed;

    SnapshotSender(long clusterId, long selfNodeId, RaftTransportOptions options) {
        this.selfNodeId = selfNodeId;
        this.options = options;
        this.clusterHeader = ClusterIdHeader.attach(clusterId);
    }

    /** Queues a snapshot for {@code peer}; never blocks. */
    void submit(PeerLink peer, GroupMessage snapshot) {
        synchronized (this) {
            if (closed) {
                peer.snapshotsDropped.increment();
                return;
            }
            if (pending.removeIf(p -> p.peer() == peer && p.message().groupId() == snapshot.groupId())) {
                peer.snapshotsDropped.increment();
            }
            pending.addLast(new Pending(peer, snapshot));
            if (pending.size() > options.maxPendingSnapshots() && active.size() >= options.maxConcurrentSnapshots()) {
                pending.pollFirst().peer().snapshotsDropped.increment();
            }
        }
        startWhileSlotsFree();
    }

    private void startWhileSlotsFree() {
        List<Call> toStart = new ArrayList<>();
        synchronized (this) {
            while (!closed && active.size() < options.maxConcurrentSnapshots() && !pending.isEmpty()) {
                Pending p = pending.pollFirst();
                Call c = new Call(p.peer(), p.message());
                active.add(c);
                toStart.add(c);
            }
        }
        toStart.forEach(Call::start);
    }

    private void finished(Call c) {
        synchronized (this) {
            active.remove(c);
        }
        startWhileSlotsFree();
    }

    /** Drops what waits and cancels what is in flight. */
    void close() {
        List<Call> running;
        synchronized (this) {
            closed = true;
            for (Pending p : pending) {
                p.peer().snapshotsDropped.increment();
            }
            pending.clear();
            running = new ArrayList<>(active);
        }
        running.forEach(Call::cancel);
    }

    /** One snapshot on one Snapshot call. */
    private final class Call implements ClientResponseObserver<SnapshotChunk, SnapshotDone> {
        private final PeerLink peer;
        private final GroupMessage message;
        private final byte[] data;
        private final AtomicBoolean done = new AtomicBoolean();
        private ClientCallStreamObserver<SnapshotChunk> requests;
        private boolean headerSent;
        private boolean halfClosed;
        private int offset;
        private int chunks;
        private volatile SnapshotDone reply;

        Call(PeerLink peer, GroupMessage message) {
            this.peer = peer;
            this.message = message;
            this.data = message.message().snapshot().data();
        }

        void start() {
            ManagedChannel ch = peer.channel();
            if (ch == null) {
                finish(false, "no address for node " + peer.nodeId());
                return;
            }
            try {
                RaftTransportGrpc.newStub(ch).withInterceptors(clusterHeader)
                        .withDeadlineAfter(options.snapshotTimeout().toNanos(), TimeUnit.NANOSECONDS).snapshot(this);
            } catch (RuntimeException e) {
                finish(false, "could not start: " + e);
                return;
            }
            pump(); // in case the call was ready before the handler was set
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SnapshotChunk> requestStream) {
            requests = requestStream;
            requestStream.setOnReadyHandler(this::pump);
        }

        /** Writes the header, then chunks while flow control allows, then half-closes. */
        private synchronized void pump() {
            if (requests == null || done.get()) {
                return;
            }
            while (!halfClosed && requests.isReady()) {
                if (!headerSent) {
                    requests.onNext(SnapshotChunk.newBuilder()
                            .setHeader(EnvelopeCodec.snapshotHeader(selfNodeId, peer.nodeId(), message)).build());
                    headerSent = true;
                } else if (offset < data.length) {
                    int n = Math.min(options.snapshotChunkBytes(), data.length - offset);
                    // Wrapped, not copied: a snapshot's data is never changed once made.
                    requests.onNext(SnapshotChunk.newBuilder()
                            .setData(UnsafeByteOperations.unsafeWrap(data, offset, n)).build());
                    offset += n;
                    chunks++;
                    peer.snapshotChunksSent.increment();
                } else {
                    requests.onCompleted();
                    halfClosed = true;
                }
            }
        }

        @Override
        public void onNext(SnapshotDone value) {
            reply = value;
        }

        @Override
        public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            finish(false, s.getCode() + " " + s.getDescription());
        }

        @Override
        public void onCompleted() {
            SnapshotDone r = reply;
            finish(r != null && r.getAccepted(), r == null ? "no reply" : r.getError());
        }

        void cancel() {
            ClientCallStreamObserver<SnapshotChunk> r;
            synchronized (this) {
                r = requests;
            }
            if (r != null) {
                r.cancel("transport closing", null);
            }
            finish(false, "transport closing");
        }

        private void finish(boolean accepted, String error) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (accepted) {
                peer.snapshotsSent.increment();
                log.debug("snapshot of group {} to node {} sent: {} bytes in {} chunks", message.groupId(),
                        peer.nodeId(), data.length, chunks);
            } else {
                peer.snapshotsFailed.increment();
                log.info("snapshot of group {} to node {} failed after {} of {} bytes: {}", message.groupId(),
                        peer.nodeId(), offset, data.length, error);
            }
            finished(this);
        }
    }
}
