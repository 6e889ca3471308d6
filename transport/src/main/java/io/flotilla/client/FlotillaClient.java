package io.flotilla.client;

import com.google.protobuf.ByteString;
import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.kv.KvCalls;
import io.flotilla.client.kv.MultiRangeScan;
import io.flotilla.client.kv.RequestRouter;
import io.flotilla.client.net.ChannelPool;
import io.flotilla.client.routing.RangeBounds;
import io.flotilla.client.routing.RoutingCache;
import io.flotilla.transport.proto.BatchResponse;
import io.flotilla.transport.proto.CompareAndSetResponse;
import io.flotilla.transport.proto.GetResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The Flotilla client: key-value calls routed to the leader of the range that holds each key,
 * retried by the typed errors the nodes return, plus {@link #admin()} for operating the cluster.
 *
 * <pre>{@code
 * try (FlotillaClient client = FlotillaClient.builder().seeds(List.of("10.0.0.1:7000")).build()) {
 *     client.put(key, value).join();
 *     Optional<byte[]> read = client.sync().get(key);
 * }
 * }</pre>
 *
 * <p>Every call returns a future that completes within the request timeout, with the result or a
 * {@link FlotillaException}. Futures complete on gRPC or timer threads: do not block in their
 * callbacks (use the {@code ...Async} variants with an executor of your own for slow work).
 * A client is thread-safe and meant to be shared; close it to release its connections.
 */
public final class FlotillaClient implements AutoCloseable {
    private final RequestRouter router;
    private final RoutingCache routing;
    private final ChannelPool channels;
    private final ScheduledExecutorService timer;
    private final AdminClient admin;
    private final BlockingKv blocking;

    FlotillaClient(RequestRouter router, RoutingCache routing, ChannelPool channels, ScheduledExecutorService timer,
            AdminClient admin) {
        this.router = router;
        this.routing = routing;
        this.channels = channels;
        this.timer = timer;
        this.admin = admin;
        this.blocking = new BlockingKv(this);
    }

    public static FlotillaClientBuilder builder() {
        return new FlotillaClientBuilder();
    }

    /** The value of {@code key}, read linearizably; empty if the key is absent. */
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        return get(key, ReadConsistency.LINEARIZABLE);
    }

    public CompletableFuture<Optional<byte[]>> get(byte[] key, ReadConsistency consistency) {
        return guarded(() -> router.run(KvCalls.get(key("key", key), consistency.toProto()))
                .thenApply(FlotillaClient::value));
    }

    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        return guarded(() -> router.run(KvCalls.put(key("key", key), key("value", value))).thenApply(r -> null));
    }

    /** Deletes {@code key}; succeeds whether or not it existed. */
    public CompletableFuture<Void> delete(byte[] key) {
        return guarded(() -> router.run(KvCalls.delete(key("key", key))).thenApply(r -> null));
    }

    /**
     * Up to {@code limit} pairs with keys in {@code [start, endOrNull)} in key order (a null end
     * means the end of the key space), read linearizably range by range. The whole scan shares
     * one request deadline.
     */
    public CompletableFuture<List<KeyValue>> scan(byte[] start, byte[] endOrNull, int limit) {
        return scan(start, endOrNull, limit, ReadConsistency.LINEARIZABLE);
    }

    public CompletableFuture<List<KeyValue>> scan(byte[] start, byte[] endOrNull, int limit,
            ReadConsistency consistency) {
        return guarded(() -> {
            ByteString from = key("scan start", start);
            ByteString to = endOrNull == null ? ByteString.EMPTY : ByteString.copyFrom(endOrNull);
            if (limit < 1) {
                throw new FlotillaException.InvalidArgument("scan limit must be at least 1, got " + limit);
            }
            if (!to.isEmpty() && RangeBounds.KEY_ORDER.compare(from, to) >= 0) {
                if (from.equals(to)) {
                    return CompletableFuture.completedFuture(List.of());
                }
                throw new FlotillaException.InvalidArgument("scan start must not be after its end");
            }
            return MultiRangeScan.run(router, from, to, limit, consistency.toProto()).thenApply(kvs -> {
                List<KeyValue> result = new ArrayList<>(kvs.size());
                kvs.forEach(kv -> result.add(new KeyValue(kv.getKey().toByteArray(), kv.getValue().toByteArray())));
                return List.copyOf(result);
            });
        });
    }

    /**
     * Sets {@code key} to {@code newValueOrNull} (deletes it when null) if it now holds
     * {@code expectedOrNull} (is absent when null).
     */
    public CompletableFuture<CasResult> compareAndSet(byte[] key, byte[] expectedOrNull, byte[] newValueOrNull) {
        return guarded(() -> router.run(KvCalls.compareAndSet(key("key", key),
                        expectedOrNull == null ? null : ByteString.copyFrom(expectedOrNull),
                        newValueOrNull == null ? null : ByteString.copyFrom(newValueOrNull)))
                .thenApply(FlotillaClient::casResult));
    }

    /**
     * Applies every operation atomically, or none. All keys must lie in one range: a batch that
     * spans ranges fails with {@link FlotillaException.InvalidArgument} and applies nothing.
     */
    public CompletableFuture<BatchResult> batch(List<BatchOp> ops) {
        return guarded(() -> {
            if (ops == null || ops.isEmpty()) {
                throw new FlotillaException.InvalidArgument("a batch needs at least one operation");
            }
            List<io.flotilla.transport.proto.BatchOp> wire = new ArrayList<>(ops.size());
            for (BatchOp op : ops) {
                if (op == null) {
                    throw new FlotillaException.InvalidArgument("a batch operation must not be null");
                }
                wire.add(op.toProto());
            }
            return router.run(KvCalls.batch(wire)).thenApply(FlotillaClient::batchResult);
        });
    }

    /** The same calls, blocking, throwing the typed exceptions. */
    public BlockingKv sync() {
        return blocking;
    }

    /** Operating the cluster: splits, leader transfers, replica moves, listings, health. */
    public AdminClient admin() {
        return admin;
    }

    /** The routing cache, for tests of this package. */
    RoutingCache routingCache() {
        return routing;
    }

    /**
     * Stops new calls, lets calls on the wire finish for up to five seconds, then closes the
     * connections. Calls waiting out a backoff fail when their timer fires (within the backoff
     * maximum): the timer is shut down, not stopped, so that no call is left pending forever.
     */
    @Override
    public void close() {
        router.markClosed();
        timer.shutdown();
        channels.close(Duration.ofSeconds(5));
    }

    private static ByteString key(String what, byte[] bytes) {
        if (bytes == null) {
            throw new FlotillaException.InvalidArgument(what + " must not be null");
        }
        return ByteString.copyFrom(bytes);
    }

    /** Bad input fails the returned future (with a typed error) instead of throwing at the caller. */
    private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (FlotillaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Optional<byte[]> value(GetResponse response) {
        return response.getFound() ? Optional.of(response.getValue().toByteArray()) : Optional.empty();
    }

    private static CasResult casResult(CompareAndSetResponse response) {
        return new CasResult(response.getSucceeded(), !response.getSucceeded() && response.getFound()
                ? Optional.of(response.getActual().toByteArray())
                : Optional.empty());
    }

    private static BatchResult batchResult(BatchResponse response) {
        return new BatchResult(response.getSucceeded(), !response.getSucceeded() && response.getFound()
                ? Optional.of(response.getActual().toByteArray())
                : Optional.empty());
    }
}
