package io.flotilla.client.retry;

import java.time.Duration;

/**
 * How hard the client tries: the deadline of a whole request, the most attempts it may make,
 * the longest a single attempt may wait on one node, and the backoff between attempts. A request
 * stops at whichever bound it reaches first.
 */
public record RetryPolicy(Duration requestTimeout, Duration attemptTimeout, int maxAttempts, Backoff backoff) {
    public RetryPolicy {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive, got " + attemptTimeout);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** The time one attempt may take: what is left of the request, capped by the attempt timeout. */
    public long attemptNanos(Deadline deadline) {
        return Math.min(deadline.remainingNanos(), attemptTimeout.toNanos());
    }
}
