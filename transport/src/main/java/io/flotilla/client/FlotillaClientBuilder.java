package io.flotilla.client;

import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.kv.RequestRouter;
import io.flotilla.client.net.ChannelPool;
import io.flotilla.client.net.NodeHealth;
import io.flotilla.client.retry.Backoff;
import io.flotilla.client.retry.RetryPolicy;
import io.flotilla.client.routing.LeaderCache;
import io.flotilla.client.routing.NodeDirectory;
import io.flotilla.client.routing.RoutingCache;
import io.flotilla.client.session.SessionPool;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Settings of a {@link FlotillaClient}, each with its default here. Only the seeds are required:
 * one reachable node is enough, the client learns the others from the cluster.
 */
public final class FlotillaClientBuilder {
    /** Idle write sessions kept for reuse; more concurrent writes than this just make new ones. */
    private static final int MAX_IDLE_SESSIONS = 1024;

    private List<String> seeds = List.of();
    private Duration requestTimeout = Duration.ofSeconds(5);
    private Duration attemptTimeout;
    // High enough that the deadline, not the count, ends a request waiting out an election
    // (a node death costs about 1-3 s of backoffs that end at 1 s each).
    private int maxAttempts = 30;
    private Duration backoffMin = Duration.ofMillis(10);
    private Duration backoffMax = Duration.ofSeconds(1);
    private Duration suspectPeriod = Duration.ofSeconds(2);
    private int maxInboundMessageBytes = 64 * 1024 * 1024;
    private long routingCacheRanges = 100_000;

    FlotillaClientBuilder() {
    }

    /** Node addresses as {@code host:port}; at least one. */
    public FlotillaClientBuilder seeds(List<String> hostPorts) {
        Objects.requireNonNull(hostPorts, "seeds");
        for (String seed : hostPorts) {
            if (seed == null || !seed.matches("[^\\s:]+:\\d{1,5}|\\[[0-9a-fA-F:.]+\\]:\\d{1,5}")) {
                throw new IllegalArgumentException("a seed must look like host:port, got " + seed);
            }
        }
        this.seeds = List.copyOf(hostPorts);
        return this;
    }

    /** How long a call may take in all, retries included (default 5 s). */
    public FlotillaClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
        return this;
    }

    /**
     * How long one attempt may wait on one node before the client tries another (default: the
     * request timeout). Lower it so that a node that swallows packets costs part of a request,
     * not all of it.
     */
    public FlotillaClientBuilder attemptTimeout(Duration timeout) {
        this.attemptTimeout = Objects.requireNonNull(timeout, "attemptTimeout");
        return this;
    }

    /** The most attempts per call, the first included (default 30). */
    public FlotillaClientBuilder maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    /** The backoff between attempts grows from {@code min} to {@code max} (default 10 ms to 1 s). */
    public FlotillaClientBuilder backoff(Duration min, Duration max) {
        this.backoffMin = Objects.requireNonNull(min, "backoff min");
        this.backoffMax = Objects.requireNonNull(max, "backoff max");
        return this;
    }

    /** How long a node that failed to answer is passed over (default 2 s). */
    public FlotillaClientBuilder suspectPeriod(Duration period) {
        this.suspectPeriod = Objects.requireNonNull(period, "suspectPeriod");
        return this;
    }

    /** The largest response accepted (default 64 MiB). */
    public FlotillaClientBuilder maxInboundMessageBytes(int bytes) {
        this.maxInboundMessageBytes = bytes;
        return this;
    }

    /** How many range descriptors (and range leaders) the client caches (default 100,000). */
    public FlotillaClientBuilder routingCacheRanges(long ranges) {
        this.routingCacheRanges = ranges;
        return this;
    }

    public FlotillaClient build() {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed address is needed");
        }
        if (maxInboundMessageBytes < 1024) {
            throw new IllegalArgumentException("maxInboundMessageBytes must be at least 1024, got "
                    + maxInboundMessageBytes);
        }
        if (suspectPeriod.isNegative()) {
            throw new IllegalArgumentException("suspectPeriod must not be negative, got " + suspectPeriod);
        }
        RetryPolicy policy = new RetryPolicy(requestTimeout, attemptTimeout == null ? requestTimeout : attemptTimeout,
                maxAttempts, new Backoff(backoffMin, backoffMax));
        LongSupplier clock = System::nanoTime;
        RoutingCache routing = new RoutingCache(routingCacheRanges);
        NodeDirectory nodes = new NodeDirectory(seeds);
        NodeHealth health = new NodeHealth(suspectPeriod.toNanos(), clock);
        ChannelPool channels = ChannelPool.plaintext(maxInboundMessageBytes);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flotilla-client-timer");
            thread.setDaemon(true);
            return thread;
        });
        RequestRouter router = new RequestRouter(routing, new LeaderCache(routingCacheRanges), nodes, health, channels,
                new SessionPool(MAX_IDLE_SESSIONS), policy, timer, clock);
        AdminClient admin = new AdminClient(channels, nodes, health, policy, clock);
        return new FlotillaClient(router, routing, channels, timer, admin);
    }
}
