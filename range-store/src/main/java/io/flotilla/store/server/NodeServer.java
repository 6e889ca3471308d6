package io.flotilla.store.server;

import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.RaftTransportGrpc;
import io.grpc.BindableService;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerMethodDefinition;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's one gRPC server (Kv, Admin and RaftTransport on one port). It binds before the node
 * knows who it is, so that a node started on port 0 can tell its peers the port it got; the
 * services are added once the node is up (calls before that get UNIMPLEMENTED and are retried).
 *
 * <p>Where calls run: the KV requests and the peers' Raft streams only check, route and queue
 * work for the engine, never block and take microseconds, so they run on the network thread
 * that read them ({@link CallPlacement}). Handing each to a pool thread first cost a thread
 * wake-up per request and per Raft envelope, which on a loaded two-core host is often a lost
 * time slice, on the commit path of every write. Everything else (Admin calls, which wait for
 * operations; snapshot chunks; Locate, which may survey the cluster) runs on a pool.</p>
 */
public final class NodeServer implements AutoCloseable {
    private final Server server;
    private final LateServices registry = new LateServices();
    private final String host;
    private final ExecutorService pool;

    private NodeServer(String host, int port, int maxInboundBytes) {
        this.host = host;
        AtomicInteger threadNo = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "flotilla-grpc-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .fallbackHandlerRegistry(registry)
                .maxInboundMessageSize(maxInboundBytes)
                // Peers keep Raft streams open for the node's lifetime and ping them.
                .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                // Every call starts on the network thread (finding its method is a map lookup);
                // CallPlacement moves those that may block or work long to the pool.
                .directExecutor()
                .callExecutor(new CallPlacement(pool))
                .build();
    }

    /** Binds {@code host:port} (port 0: any free port) and starts accepting calls. */
    public static NodeServer bind(String host, int port, int maxInboundBytes) {
        NodeServer s = new NodeServer(host, port, maxInboundBytes);
        try {
            s.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** The port bound (the real one when asked for 0). */
    public int port() {
        return server.getPort();
    }

    /** host:port as bound. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public void register(BindableService service) {
        registry.addService(service);
    }

    public void register(ServerServiceDefinition service) {
        registry.addService(service);
    }

    public void register(BindableService service, io.grpc.ServerInterceptor interceptor) {
        registry.addService(ServerInterceptors.intercept(service, interceptor));
    }

    /**
     * Every service is registered: from now on a call to an unknown method is answered
     * UNIMPLEMENTED. Before, the node is still starting and answers UNAVAILABLE, which clients
     * retry (elsewhere, or a moment later) instead of taking it for a method that does not exist.
     */
    public void ready() {
        registry.ready = true;
    }

    /**
     * Services added after the server started (it listens early, so a node can learn its port
     * and join before it serves); until {@link #ready()}, a call to a service not added yet is
     * refused as UNAVAILABLE (seen: a client's first Locate reached a node between the two).
     */
    private static final class LateServices extends HandlerRegistry {
        private final java.util.Map<String, ServerServiceDefinition> services = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean ready;

        void addService(BindableService s) {
            addService(s.bindService());
        }

        void addService(ServerServiceDefinition s) {
            services.put(s.getServiceDescriptor().getName(), s);
        }

        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            String service = MethodDescriptor.extractFullServiceName(methodName);
            ServerServiceDefinition def = service == null ? null : services.get(service);
            ServerMethodDefinition<?, ?> method = def == null ? null : def.getMethod(methodName);
            return method != null || ready ? method : starting(methodName);
        }

        private static ServerMethodDefinition<byte[], byte[]> starting(String methodName) {
            MethodDescriptor.Marshaller<byte[]> raw = new MethodDescriptor.Marshaller<>() {
                @Override
                public java.io.InputStream stream(byte[] value) {
                    return new java.io.ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(java.io.InputStream stream) {
                    try {
                        return stream.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(methodName)
                    .setRequestMarshaller(raw).setResponseMarshaller(raw).build();
            return ServerMethodDefinition.create(method, (call, headers) -> {
                call.close(io.grpc.Status.UNAVAILABLE.withDescription("the node is starting"), new io.grpc.Metadata());
                return new io.grpc.ServerCall.Listener<>() { };
            });
        }

        @Override
        public java.util.List<ServerServiceDefinition> getServices() {
            return java.util.List.copyOf(services.values());
        }
    }

    /**
     * Stops taking calls, gives running ones a moment, then cancels the rest (peers' Raft
     * streams never end on their own).
     */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(500, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Which calls stay on the network thread (null: the server's direct executor) and which go
     * to the pool. A method may stay only if its handler never blocks and does little work.
     */
    static final class CallPlacement implements ServerCallExecutorSupplier {
        /** Methods that run where they arrive; every other method runs on the pool. */
        static final Set<String> ON_NETWORK_THREAD = Set.of(
                KvGrpc.getGetMethod().getFullMethodName(),
                KvGrpc.getPutMethod().getFullMethodName(),
                KvGrpc.getDeleteMethod().getFullMethodName(),
                KvGrpc.getScanMethod().getFullMethodName(),
                KvGrpc.getCompareAndSetMethod().getFullMethodName(),
                KvGrpc.getBatchMethod().getFullMethodName(),
                RaftTransportGrpc.getStreamMethod().getFullMethodName());

        private final Executor pool;

        CallPlacement(Executor pool) {
            this.pool = pool;
        }

        @Override
        public <Req, Resp> Executor getExecutor(ServerCall<Req, Resp> call, Metadata headers) {
            return ON_NETWORK_THREAD.contains(call.getMethodDescriptor().getFullMethodName()) ? null : pool;
        }
    }
}
