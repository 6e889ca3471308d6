package io.flotilla.store.server;

import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.raft.AddressBook;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address, shared by every admin and KV call this node makes to its
 * peers (forwarded requests, fan-outs, PrepareReplica, Join). Channels connect lazily and
 * reconnect on their own.
 */
public final class PeerClients implements AutoCloseable {
    private final AddressBook book;
    private final int maxInboundBytes;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public PeerClients(AddressBook book, int maxInboundBytes) {
        this.book = book;
        this.maxInboundBytes = maxInboundBytes;
    }

    /** The channel to {@code address} ("host:port"). */
    public ManagedChannel channel(String address) {
        if (closed) {
            throw new IllegalStateException("peer clients are closed");
        }
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a).usePlaintext()
                .maxInboundMessageSize(maxInboundBytes).build());
    }

    /** The address of {@code nodeId}, or null when the book does not know it. */
    public String address(long nodeId) {
        return book.get(nodeId);
    }

    /** Admin stub for a node, or null when its address is unknown. */
    public AdminGrpc.AdminBlockingStub admin(long nodeId) {
        String a = book.get(nodeId);
        return a == null ? null : AdminGrpc.newBlockingStub(channel(a));
    }

    public AdminGrpc.AdminFutureStub adminAsync(String address) {
        return AdminGrpc.newFutureStub(channel(address));
    }

    public AdminGrpc.AdminBlockingStub admin(String address) {
        return AdminGrpc.newBlockingStub(channel(address));
    }

    public KvGrpc.KvBlockingStub kv(String address) {
        return KvGrpc.newBlockingStub(channel(address));
    }

    @Override
    public void close() {
        closed = true;
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
