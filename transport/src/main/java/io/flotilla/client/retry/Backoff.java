package io.flotilla.client.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: before retry {@code n} (0-based) the ceiling is
 * {@code min(max, min * 2^n)} and the delay is drawn from {@code [ceiling/2, ceiling]}. Half of it
 * is fixed so delays still grow; half is random so many clients that failed together do not
 * retry together.
 */
public final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private final DoubleSupplier unitRandom;

    public Backoff(Duration min, Duration max) {
        this(min, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code unitRandom} returns values in {@code [0, 1)}. */
    public Backoff(Duration min, Duration max, DoubleSupplier unitRandom) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("backoff minimum must be positive, got " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff maximum " + max + " is below the minimum " + min);
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.unitRandom = unitRandom;
    }

    /** The delay before retry {@code retry} (0 for the first retry), in nanoseconds. */
    public long delayNanos(int retry) {
        long ceiling = ceilingNanos(retry);
        long half = ceiling / 2;
        return half + (long) (unitRandom.getAsDouble() * (ceiling - half));
    }

    long ceilingNanos(int retry) {
        // Past 62 doublings any positive minimum exceeds every maximum; stop before overflow.
        if (retry >= 62 || minNanos > (maxNanos >> Math.max(0, retry))) {
            return maxNanos;
        }
        return Math.min(maxNanos, minNanos << retry);
    }
}
