package io.flotilla.store.server;

import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.RaftTransportGrpc;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** Which calls run on the network thread and which on the pool. */
class NodeServerTest {
    private final Executor pool = Runnable::run;
    private final NodeServer.CallPlacement placement = new NodeServer.CallPlacement(pool);

    private Executor placed(MethodDescriptor<?, ?> method) {
        return placement.getExecutor(new FakeCall<>(method), new Metadata());
    }

    @Test
    void kvRequestsAndPeersRaftStreamsRunWhereTheyArrive() {
        for (MethodDescriptor<?, ?> m : java.util.List.of(KvGrpc.getGetMethod(), KvGrpc.getPutMethod(),
                KvGrpc.getDeleteMethod(), KvGrpc.getScanMethod(), KvGrpc.getCompareAndSetMethod(),
                KvGrpc.getBatchMethod(), RaftTransportGrpc.getStreamMethod())) {
            assertThat(placed(m)).as(m.getFullMethodName()).isNull();
        }
    }

    @Test
    void callsThatMayBlockOrWorkLongRunOnThePool() {
        for (MethodDescriptor<?, ?> m : java.util.List.of(KvGrpc.getLocateMethod(), AdminGrpc.getSplitRangeMethod(),
                AdminGrpc.getLocalRangesMethod(), RaftTransportGrpc.getSnapshotMethod())) {
            assertThat(placed(m)).as(m.getFullMethodName()).isSameAs(pool);
        }
        for (var method : AdminGrpc.getServiceDescriptor().getMethods()) {
            assertThat(placed(method)).as(method.getFullMethodName()).isSameAs(pool);
        }
    }

    @Test
    void aNodeStillStartingAnswersUnavailableSoClientsRetryAndUnimplementedOnceReady() throws Exception {
        NodeServer server = NodeServer.bind("127.0.0.1", 0, 4 << 20);
        io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext().build();
        try {
            var stub = KvGrpc.newBlockingStub(channel).withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS);
            var locate = io.flotilla.transport.proto.LocateRequest.getDefaultInstance();
            assertThat(io.grpc.Status.fromThrowable(org.assertj.core.api.Assertions.catchThrowable(() -> stub.locate(locate)))
                    .getCode()).as("before every service is registered").isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            server.ready();
            assertThat(io.grpc.Status.fromThrowable(org.assertj.core.api.Assertions.catchThrowable(() -> stub.locate(locate)))
                    .getCode()).as("ready, and no Kv service here").isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED);
        } finally {
            channel.shutdownNow();
            server.close();
        }
    }

    /** Only its method descriptor is looked at. */
    private static final class FakeCall<Req, Resp> extends ServerCall<Req, Resp> {
        private final MethodDescriptor<Req, Resp> method;

        @SuppressWarnings("unchecked")
        FakeCall(MethodDescriptor<?, ?> method) {
            this.method = (MethodDescriptor<Req, Resp>) method;
        }

        @Override
        public MethodDescriptor<Req, Resp> getMethodDescriptor() {
            return method;
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(Resp message) {
        }

        @Override
        public void close(Status status, Metadata trailers) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Attributes getAttributes() {
            return Attributes.EMPTY;
        }
    }
}
