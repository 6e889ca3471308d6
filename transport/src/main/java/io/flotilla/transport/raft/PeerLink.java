package io.flotilla.transport.raft;

import io.flotilla.transport.proto.Hello;
import io.flotilla.transport.proto.RaftTransportGrpc;
import io.flotilla.transport.proto.StreamDone;
import io.flotilla.transport.proto.StreamFrame;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything this node sends one peer node: its channel, its long-lived Stream call, and a
 * bounded queue of encoded frames in front of it.
 *
 * <p>One drainer at a time, made exclusive by the {@code wip} counter, owns the connection state:
 * it opens the stream lazily, writes while the call {@code isReady()}, notices failures and
 * schedules reconnects. gRPC callbacks (ready, error, completion) and timers only wake it, so no
 * lock guards the connection state. The drainer is normally a task on the transport's executor;
 * but a sender (an engine worker) that finds it idle and the stream healthy writes its frames
 * itself, without waiting for a thread: a hand-off to the executor cost each Raft message a
 * thread wake-up, and on a busy two-core host often a lost time slice, on the commit path of
 * every write. Writing never blocks (gRPC buffers, and {@code isReady()} bounds what it
 * buffers); whatever a sender may not do in place (connect, reconnect, write a large backlog, go
 * on after a full pass) is left to the executor.</p>
 *
 * <p>When the queue is full the OLDEST frames go: while a peer is unreachable the queue keeps
 * the most recent traffic, whose terms and commit indexes are current, rather than the stale
 * head that a returning peer would mostly ignore. Either way the messages lost are ones Raft
 * resends.</p>
 */
final class PeerLink {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
    /** Frames one drainer pass writes before it yields the sender thread to other peers. */
    private static final int FRAMES_PER_PASS = 256;
    /**
     * A sender writes in place only while this few bytes wait, and stops once it wrote as many:
     * serializing more would hold up the engine worker, and a backlog that large means the
     * executor is draining anyway.
     */
    static final long MAX_INLINE_BYTES = 256 << 10;

    /** What every link of one transport shares. */
    record Context(long clusterId, long selfNodeId, String selfAddress, AddressBook book,
                   RaftTransportOptions options, ScheduledExecutorService executor) {
    }

    private record Queued(StreamFrame frame, int bytes) {
    }

    private final long nodeId;
    private final Context ctx;
    private final Backoff backoff;

    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Drain requests not yet served; the request that moves it from 0 runs the drainer. */
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean retryTimerArmed = new AtomicBoolean();
    private final CountDownLatch drainerStopped = new CountDownLatch(1);
    private volatile boolean closed;

    final LongAdder envelopesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder envelopesDropped = new LongAdder();
    final LongAdder streamFailures = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder snapshotsSent = new LongAdder();
    final LongAdder snapshotsFailed = new LongAdder();
    final LongAdder snapshotsDropped = new LongAdder();
    final LongAdder snapshotChunksSent = new LongAdder();
    /** Frames a sender wrote itself rather than leaving them to the executor (see the class comment). */
    final LongAdder framesWrittenInPlace = new LongAdder();

    /** Shared by the drainer and snapshot sends: one channel per peer node. */
    private final Object channelLock = new Object();
    private ManagedChannel channel;
    private String channelAddress;

    // Owned by the drainer.
    private OutboundStream stream;
    private volatile boolean streamOpen;
    private int failures;
    private long retryAtNanos;
    private boolean everOpened;
    private boolean stopped;

    PeerLink(long nodeId, Context ctx) {
        this.nodeId = nodeId;
        this.ctx = ctx;
        this.backoff = new Backoff(ctx.options().backoffMin(), ctx.options().backoffMax(),
                ctx.selfNodeId() * 0x9E3779B97F4A7C15L ^ nodeId);
    }

    long nodeId() {
        return nodeId;
    }

    /** Queues one frame, dropping the oldest past the bound. Safe from any thread; never blocks. */
    void enqueue(StreamFrame frame) {
        if (closed) {
            envelopesDropped.increment();
            return;
        }
        int bytes = frame.getSerializedSize();
        queue.add(new Queued(frame, bytes));
        int count = queuedCount.incrementAndGet();
        long total = queuedBytes.addAndGet(bytes);
        RaftTransportOptions o = ctx.options();
        while (count > o.maxQueuedEnvelopes() || total > o.maxQueuedBytes()) {
            Queued oldest = poll();
            if (oldest == null) {
                break;
            }
            envelopesDropped.increment();
            count = queuedCount.get();
            total = queuedBytes.get();
        }
        if (wip.getAndIncrement() == 0) {
            drainFromSender();
        }
    }

    /** Counts an envelope dropped before it reached the queue (too large to send). */
    void countDropped(int n) {
        envelopesDropped.add(n);
    }

    private Queued poll() {
        Queued q = queue.poll();
        if (q != null) {
            queuedCount.decrementAndGet();
            queuedBytes.addAndGet(-q.bytes());
        }
        return q;
    }

    /** Wakes the drainer. Safe from any thread, cheap when it is already awake. */
    void scheduleDrain() {
        if (wip.getAndIncrement() == 0) {
            submitDrain(1);
        }
    }

    private void submitDrain(int missed) {
        try {
            ctx.executor().execute(() -> drain(missed));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            wip.set(0); // the transport is shutting down; close() cleans up
        }
    }

    /**
     * The sender's turn as drainer (it won {@code wip} from 0): one pass in place if the stream is
     * up and little waits, else the executor's task does it. Wake-ups that arrive meanwhile are
     * left to the executor, so a sender does a bounded amount of work however busy the link.
     */
    private void drainFromSender() {
        boolean yielded = true;
        if (canWriteInPlace()) {
            try {
                yielded = write(framesWrittenInPlace, MAX_INLINE_BYTES);
            } catch (RuntimeException e) {
                log.error("raft link to node {}: write failed", nodeId, e);
                yielded = true; // let the executor's pass look at the stream
            }
        }
        if (yielded) {
            submitDrain(1);
            return;
        }
        int missed = wip.addAndGet(-1);
        if (missed != 0) {
            submitDrain(missed); // still the owner: hand the rest over
        }
    }

    /** Whether the stream is up, at the address the book gives, with a small backlog. Drainer only. */
    private boolean canWriteInPlace() {
        OutboundStream st = stream;
        return !closed && st != null && !st.ended && queuedBytes.get() <= MAX_INLINE_BYTES
                && java.util.Objects.equals(st.address, ctx.book().get(nodeId));
    }

    /**
     * The drainer: runs passes until no wake-up is left unserved. {@code missed} counts the
     * wake-ups this run answers; while it runs, {@code wip > 0} keeps every other one out.
     */
    private void drain(int missed) {
        while (true) {
            boolean yielded = false;
            try {
                yielded = step();
            } catch (RuntimeException e) {
                // A bug here must not wedge the link: log it and let the next wake-up retry.
                log.error("raft link to node {}: drain failed", nodeId, e);
            }
            if (yielded) {
                // Other peers share the sender threads: carry on in a fresh task, still the owner.
                submitDrain(missed);
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /**
     * One pass of the drainer: react to what changed, then write while the call can take it.
     * Returns true when it stopped only because the pass wrote its share of frames.
     */
    private boolean step() {
        if (closed) {
            stop();
            return false;
        }
        if (stream != null && stream.ended) {
            onStreamEnded();
        }
        String address = ctx.book().get(nodeId);
        if (stream != null && !java.util.Objects.equals(stream.address, address)) {
            // The peer moved: a stream to the old address could never deliver again.
            log.info("raft link to node {}: address changed {} -> {}, reconnecting", nodeId, stream.address, address);
            stream.requests.onCompleted();
            closeStream();
            failures = 0;
            retryAtNanos = 0;
        }
        if (stream == null) {
            if (queue.isEmpty()) {
                return false; // lazy: no stream until there is something to send
            }
            long wait = retryAtNanos - System.nanoTime();
            if (wait > 0) {
                armRetryTimer(wait);
                return false;
            }
            if (!open()) {
                return false;
            }
        }
        return write(null, Long.MAX_VALUE);
    }

    /**
     * Writes queued frames while the open stream takes them, at most a pass's share of frames
     * and about {@code maxBytes}, counting them in {@code counter} if given. Returns true when it
     * stopped only because it wrote that share. Drainer only.
     */
    private boolean write(LongAdder counter, long maxBytes) {
        OutboundStream st = stream;
        ClientCallStreamObserver<StreamFrame> out = st.requests;
        long bytes = 0;
        for (int written = 0; written < FRAMES_PER_PASS && bytes < maxBytes; written++) {
            Queued q;
            if (st.ended || !out.isReady() || (q = poll()) == null) {
                return false;
            }
            out.onNext(q.frame());
            envelopesSent.increment();
            bytesSent.add(q.bytes());
            bytes += q.bytes();
            if (counter != null) {
                counter.increment();
            }
        }
        return !queue.isEmpty();
    }

    private boolean open() {
        ManagedChannel ch = channel();
        if (ch == null) {
            dropQueued();
            return false;
        }
        if (failures > 0) {
            // Our own backoff decides when to retry; the channel's (up to two minutes) must not.
            ch.resetConnectBackoff();
        }
        OutboundStream st = new OutboundStream(channelAddress());
        RaftTransportGrpc.newStub(ch).stream(st);
        st.requests.onNext(hello());
        stream = st;
        streamOpen = true;
        if (everOpened) {
            reconnects.increment();
        }
        everOpened = true;
        return true;
    }

    private StreamFrame hello() {
        return StreamFrame.newBuilder().setHello(Hello.newBuilder().setClusterId(ctx.clusterId())
                .setFromNode(ctx.selfNodeId()).setToNode(nodeId).setFromAddress(ctx.selfAddress())
                .addAllKnownNodes(ctx.book().toNodeAddresses())).build();
    }

    private void onStreamEnded() {
        OutboundStream st = stream;
        closeStream();
        streamFailures.increment();
        long now = System.nanoTime();
        // A stream that lived a while proves the peer was healthy: start the backoff afresh.
        if (now - st.openedAtNanos > ctx.options().backoffMax().toNanos()) {
            failures = 0;
        }
        failures++;
        retryAtNanos = now + backoff.delayNanos(failures);
        Status status = st.error == null ? Status.OK : Status.fromThrowable(st.error);
        if (failures == 1) {
            log.info("raft stream to node {} at {} ended: {} {}", nodeId, st.address, status.getCode(),
                    status.getDescription());
        } else {
            log.debug("raft stream to node {} at {} ended again ({} in a row): {} {}", nodeId, st.address, failures,
                    status.getCode(), status.getDescription());
        }
    }

    private void closeStream() {
        stream = null;
        streamOpen = false;
    }

    private void armRetryTimer(long delayNanos) {
        if (retryTimerArmed.compareAndSet(false, true)) {
            try {
                ctx.executor().schedule(() -> {
                    retryTimerArmed.set(false);
                    scheduleDrain();
                }, delayNanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                retryTimerArmed.set(false);
            }
        }
    }

    private void dropQueued() {
        Queued q;
        while ((q = poll()) != null) {
            envelopesDropped.increment();
        }
    }

    /** Drainer side of close: half-close the stream, drop what waits, let the channel wind down. */
    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (stream != null && !stream.ended) {
            stream.requests.onCompleted();
        }
        closeStream();
        dropQueued();
        synchronized (channelLock) {
            if (channel != null) {
                channel.shutdown();
            }
        }
        drainerStopped.countDown();
    }

    // ---------------------------------------------------------------- channel

    /**
     * The channel to the peer's current address, created on first use and replaced when the
     * address changes (the old one finishes its calls, then closes). Null if the address is
     * unknown or the link is closed.
     */
    ManagedChannel channel() {
        String address = ctx.book().get(nodeId);
        synchronized (channelLock) {
            if (closed || address == null) {
                return null;
            }
            if (channel == null || !address.equals(channelAddress)) {
                if (channel != null) {
                    channel.shutdown();
                }
                channel = NettyChannelBuilder.forTarget(address).usePlaintext()
                        .maxInboundMessageSize(ctx.options().maxInboundMessageBytes()).build();
                channelAddress = address;
            }
            return channel;
        }
    }

    private String channelAddress() {
        synchronized (channelLock) {
            return channelAddress;
        }
    }

    // ---------------------------------------------------------------- close and stats

    /** Stops sending; what is queued is dropped. Returns at once; see {@link #awaitClosed}. */
    void close() {
        closed = true;
        scheduleDrain();
    }

    /** Waits (bounded) for the drainer to stop and the channel to close; forces it after. */
    void awaitClosed(long deadlineNanos) throws InterruptedException {
        drainerStopped.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        ManagedChannel ch;
        synchronized (channelLock) {
            ch = channel;
        }
        if (ch != null && !ch.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            ch.shutdownNow();
        }
    }

    PeerStats stats() {
        return new PeerStats(nodeId, channelAddress(), streamOpen, queuedCount.get(), queuedBytes.get(),
                envelopesSent.sum(), bytesSent.sum(), envelopesDropped.sum(), streamFailures.sum(), reconnects.sum(),
                snapshotsSent.sum(), snapshotsFailed.sum(), snapshotsDropped.sum(), snapshotChunksSent.sum());
    }

    /** One Stream call: its callbacks only record what happened and wake the drainer. */
    private final class OutboundStream implements ClientResponseObserver<StreamFrame, StreamDone> {
        final String address;
        final long openedAtNanos = System.nanoTime();
        ClientCallStreamObserver<StreamFrame> requests;
        volatile boolean ended;
        volatile Throwable error;

        OutboundStream(String address) {
            this.address = address;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamFrame> requestStream) {
            requests = requestStream;
            requestStream.setOnReadyHandler(PeerLink.this::scheduleDrain);
        }

        @Override
        public void onNext(StreamDone done) {
            // The peer answers only when it ends the stream; onCompleted follows.
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            ended = true;
            scheduleDrain();
        }

        @Override
        public void onCompleted() {
            ended = true;
            scheduleDrain();
        }
    }
}
