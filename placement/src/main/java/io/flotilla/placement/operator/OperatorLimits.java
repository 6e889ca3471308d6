package io.flotilla.placement.operator;

/**
 * Every knob of the operator controller in one place.
 *
 * @param maxPerNode          operators that may load one node at once (its snapshots, its disk)
 * @param maxClusterWide      operators that may run at once in the whole cluster
 * @param startsPerSecond     steady rate at which scheduled operators may start
 * @param startBurst          starts allowed at once after a quiet spell (the token bucket's depth)
 * @param stepTimeoutMillis   how long one step may take before it counts as failed
 * @param catchUpTimeoutMillis how long a promotion may take: it waits for a learner to catch up
 * @param maxAttemptsPerStep  tries of one step (first plus retries) before the operator fails
 * @param retryBackoffMillis  wait between a failed try and the next
 * @param historySize         finished operators kept for the status listing
 * @param settleMillis        how long a range counts as busy after its operator ended, so that
 *                            heartbeats catch up before a policy judges it again (a view that
 *                            still shows a just-removed replica must not trigger a second removal)
 */
public record OperatorLimits(int maxPerNode, int maxClusterWide, double startsPerSecond, int startBurst,
                             long stepTimeoutMillis, long catchUpTimeoutMillis, int maxAttemptsPerStep,
                             long retryBackoffMillis, int historySize, long settleMillis) {

    public OperatorLimits {
        if (maxPerNode < 1 || maxClusterWide < 1) {
            throw new IllegalArgumentException("concurrency limits must be at least 1, got per node " + maxPerNode
                    + " and cluster-wide " + maxClusterWide);
        }
        if (!(startsPerSecond > 0) || startBurst < 1) {
            throw new IllegalArgumentException("need a positive start rate and burst, got " + startsPerSecond
                    + "/s burst " + startBurst);
        }
        if (stepTimeoutMillis <= 0 || catchUpTimeoutMillis <= 0 || retryBackoffMillis < 0) {
            throw new IllegalArgumentException("timeouts must be positive and the backoff non-negative");
        }
        if (maxAttemptsPerStep < 1 || historySize < 0 || settleMillis < 0) {
            throw new IllegalArgumentException("need at least one attempt per step, and a non-negative history and settle time");
        }
    }

    /** Conservative production defaults: a move streams a snapshot, so few run per node. */
    public static OperatorLimits defaults() {
        return new OperatorLimits(4, 64, 20.0, 40, 30_000, 300_000, 3, 1_000, 256, 10_000);
    }

    public OperatorLimits withConcurrency(int perNode, int clusterWide) {
        return new OperatorLimits(perNode, clusterWide, startsPerSecond, startBurst, stepTimeoutMillis,
                catchUpTimeoutMillis, maxAttemptsPerStep, retryBackoffMillis, historySize, settleMillis);
    }

    public OperatorLimits withRate(double perSecond, int burst) {
        return new OperatorLimits(maxPerNode, maxClusterWide, perSecond, burst, stepTimeoutMillis,
                catchUpTimeoutMillis, maxAttemptsPerStep, retryBackoffMillis, historySize, settleMillis);
    }

    public OperatorLimits withSettle(long millis) {
        return new OperatorLimits(maxPerNode, maxClusterWide, startsPerSecond, startBurst, stepTimeoutMillis,
                catchUpTimeoutMillis, maxAttemptsPerStep, retryBackoffMillis, historySize, millis);
    }

    public OperatorLimits withTimeouts(long step, long catchUp, int attempts, long backoff) {
        return new OperatorLimits(maxPerNode, maxClusterWide, startsPerSecond, startBurst, step, catchUp,
                attempts, backoff, historySize, settleMillis);
    }
}
