package io.flotilla.transport.raft;

import com.google.protobuf.ByteString;
import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.engine.HeartbeatItem;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.transport.proto.Hello;
import io.flotilla.transport.proto.NodeAddress;
import io.flotilla.transport.proto.RaftMessage;
import io.flotilla.transport.proto.RaftTransportGrpc;
import io.flotilla.transport.proto.SnapshotChunk;
import io.flotilla.transport.proto.SnapshotDone;
import io.flotilla.transport.proto.StreamDone;
import io.flotilla.transport.proto.StreamFrame;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The receiving side, driven by a raw client so each rule of the protocol can be broken on purpose. */
class RaftTransportServiceTest {
    private static final long CLUSTER = 77;
    private static final long SELF = 2;

    private final AddressBook book = new AddressBook();
    private final List<Envelope> delivered = new CopyOnWriteArrayList<>();
    private RaftTransportService service;
    private TestServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        service = new RaftTransportService(CLUSTER, SELF, book, delivered::add,
                RaftTransportOptions.defaults().withMaxSnapshotBytes(1 << 20));
        server = TestServer.start(0, service);
        channel = NettyChannelBuilder.forTarget(server.address()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    /** Collects the outcome of a client-streaming call. */
    private static final class Outcome<T> implements StreamObserver<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        volatile T value;

        @Override
        public void onNext(T v) {
            value = v;
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            result.complete(value);
        }

        Status status() throws InterruptedException {
            try {
                result.get(10, TimeUnit.SECONDS);
                return Status.OK;
            } catch (java.util.concurrent.ExecutionException e) {
                return Status.fromThrowable(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the call did not end", e);
            }
        }
    }

    private static StreamFrame hello(long cluster, long from, long to, String fromAddress, NodeAddress... known) {
        return StreamFrame.newBuilder().setHello(Hello.newBuilder().setClusterId(cluster).setFromNode(from)
                .setToNode(to).setFromAddress(fromAddress).addAllKnownNodes(List.of(known))).build();
    }

    private static StreamFrame envelope(Envelope env) {
        return StreamFrame.newBuilder().setEnvelope(EnvelopeCodec.encode(env)).build();
    }

    private static Envelope heartbeatFrom(long from, long group) {
        return new Envelope(from, SELF, List.of(), List.of(new HeartbeatItem(group, from, SELF, 3, 9, false)),
                List.of());
    }

    private RaftTransportGrpc.RaftTransportStub stub(long cluster) {
        return RaftTransportGrpc.newStub(channel).withInterceptors(ClusterIdHeader.attach(cluster));
    }

    @Test
    void aHelloFromAnotherClusterIsRefusedWithFailedPrecondition() throws Exception {
        Outcome<StreamDone> out = new Outcome<>();
        StreamObserver<StreamFrame> in = stub(CLUSTER).stream(out);
        in.onNext(hello(CLUSTER + 1, 1, SELF, "127.0.0.1:5001"));
        in.onNext(envelope(heartbeatFrom(1, 1)));
        Status s = out.status();
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).contains("cluster 78").contains("cluster 77");
        assertThat(delivered).isEmpty();
        assertThat(book.all()).as("nothing learned from a refused Hello").isEmpty();
        assertThat(service.stats().streamsRefused()).isEqualTo(1);
    }

    @Test
    void aHelloMeantForAnotherNodeIsRefused() throws Exception {
        Outcome<StreamDone> out = new Outcome<>();
        StreamObserver<StreamFrame> in = stub(CLUSTER).stream(out);
        in.onNext(hello(CLUSTER, 1, 3, "127.0.0.1:5001"));
        Status s = out.status();
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).contains("meant for node 3");
    }

    @Test
    void anEnvelopeBeforeTheHelloIsRefused() throws Exception {
        Outcome<StreamDone> out = new Outcome<>();
        StreamObserver<StreamFrame> in = stub(CLUSTER).stream(out);
        in.onNext(envelope(heartbeatFrom(1, 1)));
        Status s = out.status();
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).contains("first frame");
        assertThat(delivered).isEmpty();
    }

    @Test
    void aHelloTeachesTheSenderAddressAndThoseItKnowsButNotOurOwn() throws Exception {
        book.put(SELF, "127.0.0.1:9002");
        Outcome<StreamDone> out = new Outcome<>();
        StreamObserver<StreamFrame> in = stub(CLUSTER).stream(out);
        in.onNext(hello(CLUSTER, 1, SELF, "127.0.0.1:9001",
                NodeAddress.newBuilder().setNodeId(3).setAddress("127.0.0.1:9003").build(),
                NodeAddress.newBuilder().setNodeId(SELF).setAddress("10.9.9.9:1").build()));
        in.onNext(envelope(heartbeatFrom(1, 5)));
        in.onCompleted();
        assertThat(out.status().isOk()).isTrue();
        assertThat(out.value.getEnvelopesReceived()).isEqualTo(1);
        assertThat(book.all()).containsEntry(1L, "127.0.0.1:9001").containsEntry(3L, "127.0.0.1:9003")
                .containsEntry(SELF, "127.0.0.1:9002");
    }

    @Test
    void anEnvelopeThatDoesNotDecodeIsDroppedAndCountedAndTheStreamGoesOn() throws Exception {
        Outcome<StreamDone> out = new Outcome<>();
        StreamObserver<StreamFrame> in = stub(CLUSTER).stream(out);
        in.onNext(hello(CLUSTER, 1, SELF, "127.0.0.1:9001"));
        in.onNext(envelope(heartbeatFrom(1, 1)));
        in.onNext(StreamFrame.newBuilder().setEnvelope(io.flotilla.transport.proto.Envelope.newBuilder()
                .setFromNode(1).setToNode(SELF).addMessages(io.flotilla.transport.proto.GroupMessage.newBuilder()
                        .setGroupId(4).setMessage(RaftMessage.newBuilder().setType("NOT_A_TYPE")))).build());
        in.onNext(envelope(heartbeatFrom(3, 1))); // misaddressed: node 3's envelope on node 1's stream
        in.onNext(envelope(heartbeatFrom(1, 2)));
        in.onCompleted();
        assertThat(out.status().isOk()).isTrue();
        assertThat(delivered).extracting(e -> e.heartbeats().get(0).groupId()).containsExactly(1L, 2L);
        assertThat(service.stats().decodeErrors()).isEqualTo(2);
        assertThat(service.stats().envelopesReceived()).isEqualTo(2);
    }

    @Test
    void anEngineThatThrowsDoesNotEndTheStream() throws Exception {
        stop();
        List<Envelope> got = new CopyOnWriteArrayList<>();
        service = new RaftTransportService(CLUSTER, SELF, book, e -> {
            if (e.heartbeats().get(0).groupId() == 1) {
                throw new IllegalStateException("engine hiccup");
            }
            got.add(e);
        }, RaftTransportOptions.defaults());
        server = TestServer.start(0, service);
        channel = NettyChannelBuilder.forTarget(server.address()).usePlaintext().build();
        Outcome<StreamDone> out = new Outcome<>();
        StreamObserver<StreamFrame> in = stub(CLUSTER).stream(out);
        in.onNext(hello(CLUSTER, 1, SELF, "127.0.0.1:9001"));
        in.onNext(envelope(heartbeatFrom(1, 1)));
        in.onNext(envelope(heartbeatFrom(1, 2)));
        in.onCompleted();
        assertThat(out.status().isOk()).isTrue();
        assertThat(got).hasSize(1);
        assertThat(service.stats().deliveryErrors()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- snapshots

    private static SnapshotChunk header(long groupId, int totalBytes) {
        Message m = Message.builder(MessageType.SNAPSHOT).from(1).to(SELF).term(4)
                .snapshot(new Snapshot(new MessageGenerator(1).metadata(), new byte[totalBytes])).build();
        return SnapshotChunk.newBuilder().setHeader(EnvelopeCodec.snapshotHeader(1, SELF, new GroupMessage(groupId, m)))
                .build();
    }

    private static SnapshotChunk data(byte[] bytes) {
        return SnapshotChunk.newBuilder().setData(ByteString.copyFrom(bytes)).build();
    }

    @Test
    void aSnapshotIsDeliveredWholeOnceEveryChunkArrived() throws Exception {
        Outcome<SnapshotDone> out = new Outcome<>();
        StreamObserver<SnapshotChunk> in = stub(CLUSTER).snapshot(out);
        in.onNext(header(9, 6));
        in.onNext(data(new byte[] {1, 2, 3}));
        in.onNext(data(new byte[] {4, 5, 6}));
        in.onCompleted();
        assertThat(out.status().isOk()).isTrue();
        assertThat(out.value.getAccepted()).isTrue();
        assertThat(delivered).hasSize(1);
        GroupMessage gm = delivered.get(0).messages().get(0);
        assertThat(gm.groupId()).isEqualTo(9);
        assertThat(gm.message().snapshot().data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(service.stats().snapshotChunksReceived()).isEqualTo(2);
    }

    @Test
    void aTruncatedSnapshotDeliversNothing() throws Exception {
        Outcome<SnapshotDone> out = new Outcome<>();
        StreamObserver<SnapshotChunk> in = stub(CLUSTER).snapshot(out);
        in.onNext(header(9, 6));
        in.onNext(data(new byte[] {1, 2, 3}));
        in.onCompleted();
        Status s = out.status();
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("truncated: 3 of 6");
        assertThat(delivered).isEmpty();
    }

    @Test
    void moreDataThanTheHeaderAnnouncedIsRefused() throws Exception {
        Outcome<SnapshotDone> out = new Outcome<>();
        StreamObserver<SnapshotChunk> in = stub(CLUSTER).snapshot(out);
        in.onNext(header(9, 2));
        in.onNext(data(new byte[] {1, 2, 3}));
        in.onCompleted();
        assertThat(out.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(delivered).isEmpty();
    }

    @Test
    void aSnapshotOverTheSizeCapIsRefusedBeforeAnyDataIsBuffered() throws Exception {
        Outcome<SnapshotDone> out = new Outcome<>();
        StreamObserver<SnapshotChunk> in = stub(CLUSTER).snapshot(out);
        in.onNext(header(9, (1 << 20) + 1));
        Status s = out.status();
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("exceeds the limit");
        in.onCompleted();
        assertThat(delivered).isEmpty();
    }

    @Test
    void aSnapshotFromAnotherClusterOrWithoutAClusterIsRefused() throws Exception {
        Outcome<SnapshotDone> other = new Outcome<>();
        StreamObserver<SnapshotChunk> in = stub(CLUSTER + 1).snapshot(other);
        in.onNext(header(9, 1));
        assertThat(other.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);

        Outcome<SnapshotDone> none = new Outcome<>();
        StreamObserver<SnapshotChunk> in2 = RaftTransportGrpc.newStub(channel).snapshot(none);
        in2.onNext(header(9, 1));
        assertThat(none.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(delivered).isEmpty();
    }

    @Test
    void aSnapshotHeaderWithAnotherMessageKindIsRefused() throws Exception {
        Outcome<SnapshotDone> out = new Outcome<>();
        StreamObserver<SnapshotChunk> in = stub(CLUSTER).snapshot(out);
        in.onNext(SnapshotChunk.newBuilder().setHeader(io.flotilla.transport.proto.SnapshotHeader.newBuilder()
                .setFromNode(1).setToNode(SELF).setGroupId(9).setTotalBytes(0)
                .setMessage(RaftMessage.newBuilder().setType("APPEND"))).build());
        assertThat(out.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(delivered).isEmpty();
    }
}
