package io.flotilla.transport.raft;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A real gRPC server on 127.0.0.1 serving one Raft transport service, as a node would. */
final class TestServer implements AutoCloseable {
    private final Server server;

    private TestServer(Server server) {
        this.server = server;
    }

    /** On an ephemeral port (0) or a given one; {@code interceptors} wrap the service (test hooks). */
    static TestServer start(int port, BindableService service, ServerInterceptor... interceptors) throws IOException {
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(ServerInterceptors.intercept(service, interceptors))
                .maxInboundMessageSize(RaftTransportOptions.defaults().maxInboundMessageBytes())
                .build().start();
        return new TestServer(s);
    }

    /**
     * Restarts on a port a stopped server used. The port is ours until something else takes it;
     * a few bounded retries cover a slow release.
     */
    static TestServer restartOn(int port, BindableService service) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return start(port, service);
            } catch (IOException e) {
                last = e;
                Await.pause(100);
            }
        }
        throw last;
    }

    int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
