package io.flotilla.transport.raft;

import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.MetadataUtils;

/**
 * The sender's cluster id as a call header. A Stream call proves its cluster in the Hello, but a
 * Snapshot call's header has no cluster id field, and a snapshot from another cluster that
 * happens to use the same node ids must not replace a group's state. (An additive
 * {@code cluster_id} field in SnapshotHeader would make this header unnecessary.)
 */
final class ClusterIdHeader {
    static final Metadata.Key<String> KEY = Metadata.Key.of("flotilla-cluster-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CONTEXT = Context.key("flotilla-cluster-id");

    private ClusterIdHeader() {
    }

    /** Adds the header to every call of a stub. */
    static ClientInterceptor attach(long clusterId) {
        Metadata md = new Metadata();
        md.put(KEY, Long.toUnsignedString(clusterId));
        return MetadataUtils.newAttachHeadersInterceptor(md);
    }

    /** Makes the header of the call being served readable through {@link #ofCurrentCall()}. */
    static ServerInterceptor capture() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                String value = headers.get(KEY);
                return Contexts.interceptCall(Context.current().withValue(CONTEXT, value), call, headers, next);
            }
        };
    }

    /** The cluster id the current call's sender claims, or null if it sent none (or garbage). */
    static Long ofCurrentCall() {
        String value = CONTEXT.get();
        if (value == null) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
