package io.flotilla.store.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * Marks an admin request one node forwarded to another (the range's leader). A forwarded
 * request is never forwarded again: if leadership moved meanwhile, the caller gets NotLeader
 * instead of a request bouncing between nodes.
 */
public final class Forwarding {
    private static final Metadata.Key<String> HEADER = Metadata.Key.of("flotilla-forwarded",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Boolean> FORWARDED = Context.key("flotilla-forwarded");

    private Forwarding() {
    }

    /** A stub whose calls carry the mark. */
    public static <S extends AbstractStub<S>> S mark(S stub) {
        Metadata m = new Metadata();
        m.put(HEADER, "1");
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
    }

    /** Whether the request being handled on this thread was forwarded by a peer. */
    public static boolean isForwarded() {
        return Boolean.TRUE.equals(FORWARDED.get());
    }

    /** Reads the mark into the call's context; installed on the node's server. */
    public static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                if (headers.containsKey(HEADER)) {
                    return Contexts.interceptCall(Context.current().withValue(FORWARDED, true), call, headers, next);
                }
                return next.startCall(call, headers);
            }
        };
    }
}
