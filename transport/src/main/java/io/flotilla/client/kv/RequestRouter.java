package io.flotilla.client.kv;

import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.net.ChannelPool;
import io.flotilla.client.net.NodeHealth;
import io.flotilla.client.retry.Deadline;
import io.flotilla.client.retry.RetryPolicy;
import io.flotilla.client.routing.LeaderCache;
import io.flotilla.client.routing.NodeDirectory;
import io.flotilla.client.routing.RoutingCache;
import io.flotilla.client.session.SessionPool;
import io.flotilla.transport.proto.KvGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Sends KV calls to the leaders of the ranges that hold their keys, and retries them by the
 * rules of the error each attempt gets back (see {@link RangeRequest}). Holds what all requests
 * share: the routing and leader caches, the known nodes and their health, the channels, the
 * write sessions, the retry policy and the one timer thread that runs backoff delays.
 */
public final class RequestRouter {
    final RoutingCache routing;
    final LeaderCache leaders;
    final NodeDirectory nodes;
    final NodeHealth health;
    final ChannelPool channels;
    final SessionPool sessions;
    final RetryPolicy policy;
    final LongSupplier nanoClock;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    public RequestRouter(RoutingCache routing, LeaderCache leaders, NodeDirectory nodes, NodeHealth health,
            ChannelPool channels, SessionPool sessions, RetryPolicy policy, ScheduledExecutorService timer,
            LongSupplier nanoClock) {
        this.routing = routing;
        this.leaders = leaders;
        this.nodes = nodes;
        this.health = health;
        this.channels = channels;
        this.sessions = sessions;
        this.policy = policy;
        this.timer = timer;
        this.nanoClock = nanoClock;
    }

    /** A deadline of the policy's request timeout, starting now. */
    public Deadline newDeadline() {
        return Deadline.after(policy.requestTimeout(), nanoClock);
    }

    /** Runs a call under a fresh deadline. */
    public <Req, Resp, T> CompletableFuture<T> run(KvCall<Req, Resp, T> call) {
        return run(call, newDeadline());
    }

    /** Runs a call under a deadline shared with other calls (the pages of one scan). */
    public <Req, Resp, T> CompletableFuture<T> run(KvCall<Req, Resp, T> call, Deadline deadline) {
        if (closed) {
            return CompletableFuture.failedFuture(closedFailure());
        }
        return new RangeRequest<>(this, call, deadline).start();
    }

    KvGrpc.KvStub stub(String address, long timeoutNanos) {
        return KvGrpc.newStub(channels.channel(address)).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} after {@code delayNanos}; false if the client closed meanwhile. */
    boolean schedule(Runnable task, long delayNanos) {
        try {
            timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    boolean closed() {
        return closed;
    }

    static FlotillaException closedFailure() {
        return new FlotillaException.RpcFailed("the Flotilla client is closed", null);
    }

    /** Stops new calls; calls in flight fail as the channels close under them. */
    public void markClosed() {
        closed = true;
    }
}
