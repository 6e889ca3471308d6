package io.flotilla.transport.raft;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Reconnect delays: doubling from {@code min} up to {@code max}, each drawn with 20% jitter so
 * that the nodes which lost the same peer do not all knock on its door in the same millisecond
 * when it comes back. Every delay lies within {@code [min, max]}.
 */
final class Backoff {
    private static final double JITTER = 0.2;

    private final long minNanos;
    private final long maxNanos;
    private final SplittableRandom random;

    Backoff(Duration min, Duration max, long seed) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = new SplittableRandom(seed);
    }

    /** The delay after {@code failures} consecutive failures (at least 1). */
    synchronized long delayNanos(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 62);
        long base = minNanos;
        for (int i = 0; i < doublings && base < maxNanos; i++) {
            base = base > maxNanos / 2 ? maxNanos : base * 2;
        }
        base = Math.min(base, maxNanos);
        long up = base + (long) (base * JITTER * random.nextDouble());
        // Past the ceiling the jitter goes downwards instead, so saturated delays still differ.
        return up <= maxNanos ? up : Math.max(minNanos, maxNanos - (long) (maxNanos * JITTER * random.nextDouble()));
    }
}
