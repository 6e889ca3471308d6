package io.flotilla.client.net;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One gRPC channel per node address, made on first use and shared by every call to that node
 * (a channel multiplexes calls over one HTTP/2 connection, so more buys nothing).
 */
public final class ChannelPool implements AutoCloseable {
    private final Function<String, ManagedChannel> factory;
    private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ChannelPool(Function<String, ManagedChannel> factory) {
        this.factory = factory;
    }

    /** Plaintext channels over the shaded Netty transport. */
    public static ChannelPool plaintext(int maxInboundMessageBytes) {
        return new ChannelPool(address -> NettyChannelBuilder.forTarget(address)
                .usePlaintext()
                .maxInboundMessageSize(maxInboundMessageBytes)
                .build());
    }

    public ManagedChannel channel(String address) {
        if (closed) {
            throw new IllegalStateException("the channel pool is closed");
        }
        return channels.computeIfAbsent(address, factory);
    }

    /**
     * Makes the channel to this address reconnect on its next call instead of waiting out gRPC's
     * reconnect backoff: used when a node the client had given up on is worth another try.
     */
    public void resetConnectBackoff(String address) {
        ManagedChannel channel = channels.get(address);
        if (channel != null) {
            channel.resetConnectBackoff();
        }
    }

    /** Shuts every channel down, waiting at most {@code grace} in all before cancelling calls. */
    public void close(Duration grace) {
        closed = true;
        List<ManagedChannel> all = new ArrayList<>(channels.values());
        channels.clear();
        all.forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean interrupted = false;
        for (ManagedChannel channel : all) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                channel.shutdownNow();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
