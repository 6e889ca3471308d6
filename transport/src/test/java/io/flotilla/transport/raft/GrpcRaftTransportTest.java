package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.engine.HeartbeatItem;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The sending side against real receiving services on 127.0.0.1. */
class GrpcRaftTransportTest {
    private static final long CLUSTER = 5;
    private static final long A = 1;
    private static final long B = 2;
    /** A has no server in these tests; its Hello still names an address. */
    private static final String A_ADDRESS = "127.0.0.1:1";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A receiving node: its book, service, server and what it received. */
    private final class Receiver {
        final AddressBook book = new AddressBook();
        /** Synchronized rather than copy-on-write: tens of thousands of envelopes arrive one by one. */
        final List<Envelope> inbox = java.util.Collections.synchronizedList(new ArrayList<>());
        final RaftTransportService service;
        final TestServer server;

        Receiver(long cluster, int port, Consumer<Envelope> alsoOnReceive, ServerInterceptor... interceptors)
                throws Exception {
            service = new RaftTransportService(cluster, B, book, e -> {
                alsoOnReceive.accept(e);
                inbox.add(e);
            }, RaftTransportOptions.defaults());
            server = port == 0 ? TestServer.start(0, service, interceptors) : TestServer.restartOn(port, service);
            toClose.add(server);
        }

        Receiver() throws Exception {
            this(CLUSTER, 0, e -> { });
        }

        /** Sequence numbers carried in the heartbeats' commit field, in arrival order. */
        List<Long> seqs() {
            List<Long> out = new ArrayList<>();
            for (Envelope e : received()) {
                e.heartbeats().forEach(h -> out.add(h.commit()));
            }
            return out;
        }

        List<Envelope> received() {
            synchronized (inbox) {
                return new ArrayList<>(inbox);
            }
        }
    }

    private GrpcRaftTransport transport(long cluster, AddressBook book, RaftTransportOptions options) {
        GrpcRaftTransport t = new GrpcRaftTransport(cluster, A, A_ADDRESS, book, options);
        toClose.add(t);
        return t;
    }

    private static Envelope heartbeat(long seq) {
        return new Envelope(A, B, List.of(), List.of(new HeartbeatItem(1, A, B, 1, seq, false)), List.of());
    }

    private static GroupMessage snapshotMessage(long group, byte[] data) {
        return new GroupMessage(group, Message.builder(MessageType.SNAPSHOT).from(A).to(B).term(3)
                .snapshot(new Snapshot(new MessageGenerator(group).metadata(), data)).build());
    }

    @Test
    void envelopesArriveWholeAndInOrderOnOneStream() throws Exception {
        Receiver b = new Receiver();
        AddressBook book = new AddressBook();
        book.put(B, b.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults()
                .withQueueBound(100_000, 256L << 20));
        int batch = 20_000;
        int n = 2 * batch;
        // Two timed batches: the first includes connection setup and a cold JIT, the second not.
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (long seq = round * batch + 1; seq <= (round + 1L) * batch; seq++) {
                t.send(heartbeat(seq));
            }
            int expected = (round + 1) * batch;
            Await.until("every envelope arrived", 30_000, () -> b.inbox.size() == expected);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("GrpcRaftTransportTest: %s batch of %d one-heartbeat envelopes (%d bytes each) over "
                    + "one stream on 127.0.0.1: %.2f s = %.0f envelopes/s%n", round == 0 ? "cold" : "warm", batch,
                    EnvelopeCodec.encode(heartbeat(1)).getSerializedSize(), seconds, batch / seconds);
        }
        assertThat(b.seqs()).hasSize(n).isSorted();
        PeerStats s = t.stats().peer(B);
        assertThat(s.envelopesSent()).isEqualTo(n);
        assertThat(s.envelopesDropped()).isZero();
        assertThat(s.bytesSent()).isPositive();
        assertThat(s.connected()).isTrue();
        assertThat(s.reconnects()).isZero();
        assertThat(b.book.get(A)).as("B learned A's address from the Hello").isEqualTo(A_ADDRESS);
    }

    @Test
    void onceTheStreamIsUpASenderWritesItsOwnFramesWithoutWaitingForASenderThread() throws Exception {
        Receiver b = new Receiver();
        AddressBook book = new AddressBook();
        book.put(B, b.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults());
        t.send(heartbeat(1)); // opens the stream: a sender thread's job
        Await.until("the first envelope arrived", 10_000, () -> b.inbox.size() == 1);
        int n = 100;
        for (long seq = 2; seq <= n; seq++) {
            t.send(heartbeat(seq));
            long expected = seq;
            Await.until("envelope " + seq + " arrived", 10_000, () -> b.inbox.size() == expected);
        }
        assertThat(b.seqs()).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
        // An idle link with its stream up is written by the sender itself; gRPC callbacks may
        // still wake a sender thread now and then, which then writes the frame instead.
        assertThat(t.link(B).framesWrittenInPlace.sum()).as("frames written by the sending thread")
                .isGreaterThanOrEqualTo(n / 2);
    }

    @Test
    void concurrentSendersLoseNothingAndEachSendersEnvelopesStayInOrder() throws Exception {
        Receiver b = new Receiver();
        AddressBook book = new AddressBook();
        book.put(B, b.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults()
                .withQueueBound(100_000, 256L << 20));
        t.send(heartbeat(0));
        Await.until("the stream is up", 10_000, () -> b.inbox.size() == 1);
        int senders = 4;
        int each = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= senders; i++) {
            long group = 100 + i; // group 1 carried the envelope that opened the stream
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long seq = 1; seq <= each; seq++) {
                    t.send(new Envelope(A, B, List.of(), List.of(new HeartbeatItem(group, A, B, 1, seq, false)),
                            List.of()));
                }
            });
            threads.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join(30_000);
        }
        Await.until("every envelope arrived", 30_000, () -> b.inbox.size() == 1 + senders * each);
        java.util.Map<Long, List<Long>> bySender = new java.util.TreeMap<>();
        for (Envelope e : b.received()) {
            e.heartbeats().forEach(h -> bySender.computeIfAbsent(h.groupId(), g -> new ArrayList<>()).add(h.commit()));
        }
        for (long group = 101; group <= 100 + senders; group++) {
            assertThat(bySender.get(group)).as("sender %d's envelopes, in arrival order", group)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, each).boxed().toList());
        }
        PeerStats s = t.stats().peer(B);
        assertThat(s.envelopesSent()).isEqualTo(1 + senders * each);
        assertThat(s.envelopesDropped()).isZero();
        assertThat(s.queuedEnvelopes()).isZero();
    }

    @Test
    void sendsToANodeWithoutAnAddressAreDroppedAndCounted() {
        GrpcRaftTransport t = transport(CLUSTER, new AddressBook(), RaftTransportOptions.defaults());
        t.send(heartbeat(1));
        t.send(heartbeat(2));
        assertThat(t.stats().droppedUnknownNode()).isEqualTo(2);
        assertThat(t.stats().peers()).isEmpty();
    }

    @Test
    void aPeerThatIsDownThenBackIsRedialledWithBackoffAndItsQueueStaysBounded() throws Exception {
        Receiver first = new Receiver();
        int port = first.server.port();
        AddressBook book = new AddressBook();
        book.put(B, first.server.address());
        int bound = 50;
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults()
                .withQueueBound(bound, 32L << 20).withBackoff(Duration.ofMillis(50), Duration.ofMillis(400)));
        for (long seq = 1; seq <= 10; seq++) {
            t.send(heartbeat(seq));
        }
        Await.until("B received the first envelopes", 10_000, () -> first.inbox.size() == 10);

        first.server.close(); // the peer dies
        Await.until("A saw its stream fail", 10_000, () -> t.stats().peer(B).streamFailures() >= 1);
        int whileDown = 1_000;
        for (long seq = 11; seq < 11 + whileDown; seq++) {
            t.send(heartbeat(seq));
            assertThat(t.stats().peer(B).queuedEnvelopes()).as("queue after envelope %d", seq)
                    .isLessThanOrEqualTo(bound);
        }
        Await.until("A retried the dead peer", 10_000, () -> t.stats().peer(B).reconnects() >= 2);
        PeerStats down = t.stats().peer(B);
        assertThat(down.queuedEnvelopes()).isEqualTo(bound);
        assertThat(down.envelopesDropped()).as("all but the newest %d", bound).isEqualTo(whileDown - bound);
        assertThat(down.envelopesSent()).isEqualTo(10);

        Receiver back = new Receiver(CLUSTER, port, e -> { }); // the peer restarts on its old port
        Await.until("the queued envelopes reached the restarted peer", 15_000, () -> back.inbox.size() == bound);
        // Drop-oldest: what survived the outage is the most recent traffic.
        long lastSeq = 10 + whileDown;
        assertThat(back.seqs()).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(lastSeq - bound + 1, lastSeq).boxed().toList());
        t.send(heartbeat(lastSeq + 1));
        Await.until("new traffic flows", 10_000, () -> back.seqs().contains(lastSeq + 1));
        PeerStats after = t.stats().peer(B);
        assertThat(after.connected()).isTrue();
        assertThat(after.queuedEnvelopes()).isZero();
        assertThat(after.envelopesSent()).isEqualTo(10 + bound + 1);
    }

    @Test
    void aPeerThatMovesIsRedialledAtItsNewAddress() throws Exception {
        Receiver old = new Receiver();
        AddressBook book = new AddressBook();
        book.put(B, old.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults());
        t.send(heartbeat(1));
        Await.until("the old address got it", 10_000, () -> old.inbox.size() == 1);

        Receiver moved = new Receiver();
        book.put(B, moved.server.address());
        t.send(heartbeat(2));
        Await.until("the new address got it", 10_000, () -> moved.inbox.size() == 1);
        assertThat(old.received()).hasSize(1);
        assertThat(t.stats().peer(B).address()).isEqualTo(moved.server.address());
    }

    @Test
    void aPeerOfAnotherClusterGetsNothing() throws Exception {
        Receiver other = new Receiver(CLUSTER + 100, 0, e -> { });
        AddressBook book = new AddressBook();
        book.put(B, other.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults()
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100)));
        t.send(heartbeat(1));
        Await.until("the stream was refused", 10_000, () -> other.service.stats().streamsRefused() >= 1);
        Await.until("the sender saw it fail", 10_000, () -> t.stats().peer(B).streamFailures() >= 1);
        t.send(new Envelope(A, B, List.of(snapshotMessage(3, new byte[100])), List.of(), List.of()));
        Await.until("the snapshot was refused", 10_000, () -> t.stats().peer(B).snapshotsFailed() == 1);
        assertThat(other.received()).isEmpty();
        assertThat(other.service.stats().snapshotsRefused()).isEqualTo(1);
        assertThat(other.service.stats().streamsAccepted()).isZero();
    }

    @Test
    void anEnvelopeOverTheFrameLimitIsCutAndEveryMessageArrives() throws Exception {
        Receiver b = new Receiver();
        AddressBook book = new AddressBook();
        book.put(B, b.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults());
        List<GroupMessage> appends = new ArrayList<>();
        for (long g = 1; g <= 40; g++) {
            appends.add(new GroupMessage(g, Message.builder(MessageType.APPEND).from(A).to(B).term(2)
                    .entries(List.of(Entry.normal(2, 1, new byte[200_000]))).build()));
        }
        t.send(new Envelope(A, B, appends, List.of(), List.of())); // 8 MB, over the 2 MiB frame target
        Await.until("all 40 appends arrived", 15_000,
                () -> b.received().stream().mapToInt(e -> e.messages().size()).sum() == 40);
        assertThat(b.inbox.size()).as("parts of at most 2 MiB").isBetween(4, 5);
        assertThat(b.received().stream().flatMap(e -> e.messages().stream()).map(GroupMessage::groupId).toList())
                .isSorted().hasSize(40);
    }

    /**
     * Holds a Snapshot call after its header and first chunk until the stream has delivered
     * {@code heartbeats} envelopes (proving they do not wait behind the snapshot), until
     * {@link #open()}, or for 20 s at most.
     */
    private static final class SnapshotGate implements ServerInterceptor {
        private final int heartbeats;
        private final AtomicInteger heartbeatsWhileHeld = new AtomicInteger();
        private final CountDownLatch opened = new CountDownLatch(1);
        volatile boolean holding;
        volatile boolean releasedByHeartbeats;

        SnapshotGate(int heartbeats) {
            this.heartbeats = heartbeats;
        }

        void onEnvelope(Envelope e) {
            if (holding && !e.heartbeats().isEmpty() && heartbeatsWhileHeld.incrementAndGet() >= heartbeats) {
                releasedByHeartbeats = true;
                opened.countDown();
            }
        }

        void open() {
            opened.countDown();
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            ServerCall.Listener<Q> listener = next.startCall(call, headers);
            if (!call.getMethodDescriptor().getFullMethodName().endsWith("/Snapshot")) {
                return listener;
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                private int messages;

                @Override
                public void onMessage(Q message) {
                    if (++messages == 2) {
                        holding = true;
                        try {
                            opened.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        holding = false;
                    }
                    super.onMessage(message);
                }
            };
        }
    }

    @Test
    void aSeveralMegabyteSnapshotTravelsInChunksAndHeartbeatsKeepFlowingMeanwhile() throws Exception {
        SnapshotGate gate = new SnapshotGate(20);
        Receiver b = new Receiver(CLUSTER, 0, gate::onEnvelope, gate);
        AddressBook book = new AddressBook();
        book.put(B, b.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults());
        byte[] data = new byte[6 * 1024 * 1024 + 123];
        new SplittableRandom(42).nextBytes(data);

        // The snapshot rides with a heartbeat, as an engine cycle may send them.
        t.send(new Envelope(A, B, List.of(snapshotMessage(17, data)),
                List.of(new HeartbeatItem(1, A, B, 1, 0, false)), List.of()));
        AtomicInteger seq = new AtomicInteger();
        Await.until("the snapshot arrived", 30_000, () -> {
            t.send(heartbeat(seq.incrementAndGet())); // a heartbeat per poll, like a ticking engine
            return b.received().stream().anyMatch(e -> !e.messages().isEmpty());
        });

        assertThat(gate.releasedByHeartbeats).as("heartbeats arrived while the snapshot was held").isTrue();
        Envelope got = b.received().stream().filter(e -> !e.messages().isEmpty()).findFirst().orElseThrow();
        assertThat(got.messages()).hasSize(1);
        GroupMessage gm = got.messages().get(0);
        assertThat(gm.groupId()).isEqualTo(17);
        assertThat(gm.message().type()).isEqualTo(MessageType.SNAPSHOT);
        assertThat(gm.message().snapshot().metadata()).isEqualTo(new MessageGenerator(17).metadata());
        assertThat(gm.message().snapshot().data()).as("snapshot data intact").isEqualTo(data);
        int chunks = 7; // 6 MiB + 123 bytes in 1 MiB chunks
        assertThat(b.service.stats().snapshotChunksReceived()).isEqualTo(chunks);
        Await.until("the sender heard the snapshot was accepted", 10_000,
                () -> t.stats().peer(B).snapshotsSent() == 1);
        PeerStats s = t.stats().peer(B);
        assertThat(s.snapshotChunksSent()).isEqualTo(chunks);
        assertThat(s.snapshotsFailed()).isZero();
    }

    @Test
    void aSnapshotToADeadPeerIsCountedFailed() throws Exception {
        Receiver b = new Receiver();
        AddressBook book = new AddressBook();
        book.put(B, b.server.address());
        b.server.close();
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults());
        t.send(new Envelope(A, B, List.of(snapshotMessage(4, new byte[1000])), List.of(), List.of()));
        Await.until("the snapshot failed", 10_000, () -> t.stats().peer(B).snapshotsFailed() == 1);
        assertThat(t.stats().peer(B).snapshotsSent()).isZero();
    }

    @Test
    void snapshotsBeyondTheConcurrencyLimitWaitAndANewerOneReplacesAWaitingOne() throws Exception {
        SnapshotGate gate = new SnapshotGate(Integer.MAX_VALUE); // holds the first snapshot until opened
        Receiver b = new Receiver(CLUSTER, 0, e -> { }, gate);
        toClose.add(gate::open); // before the server closes: a held call would stall its shutdown
        AddressBook book = new AddressBook();
        book.put(B, b.server.address());
        GrpcRaftTransport t = transport(CLUSTER, book, RaftTransportOptions.defaults().withMaxConcurrentSnapshots(1)
                .withSnapshotChunkBytes(1024));
        t.send(new Envelope(A, B, List.of(snapshotMessage(1, new byte[4096])), List.of(), List.of()));
        Await.until("the first snapshot is held", 10_000, () -> gate.holding);
        t.send(new Envelope(A, B, List.of(snapshotMessage(2, new byte[10])), List.of(), List.of()));
        t.send(new Envelope(A, B, List.of(snapshotMessage(2, new byte[20])), List.of(), List.of()));
        assertThat(t.stats().peer(B).snapshotsDropped()).as("the older waiting snapshot of group 2").isEqualTo(1);
        t.close(); // cancels the one in flight, drops the one waiting
        assertThat(t.stats().peer(B).snapshotsFailed()).isEqualTo(1);
        assertThat(t.stats().peer(B).snapshotsDropped()).isEqualTo(2);
        assertThat(t.stats().peer(B).snapshotsSent()).isZero();
    }
}
