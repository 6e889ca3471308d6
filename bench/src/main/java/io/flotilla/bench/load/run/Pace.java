package io.flotilla.bench.load.run;

/**
 * When a client thread's next operation is meant to start. Closed loop: as soon as the last one
 * ended (the intended start is the actual start). Open loop: on a fixed schedule at the
 * thread's share of the target rate, whether or not the cluster kept up, so latency counts from
 * the schedule and a stall is charged to every operation it delayed (no coordinated omission).
 */
record Pace(boolean open, long intervalNanos, long firstNanos) {
    static Pace closed() {
        return new Pace(false, 0, 0);
    }

    /**
     * @param thread   this thread's index; threads start staggered over one interval so that
     *                 the schedule is smooth rather than bursts of {@code threads} at once
     */
    static Pace open(double targetOpsPerSecond, int threads, int thread, long phaseStartNanos) {
        long interval = Math.max(1, Math.round(threads * 1e9 / targetOpsPerSecond));
        return new Pace(true, interval, phaseStartNanos + interval * thread / threads);
    }

    /** The intended start of operation number {@code k} of this thread (open loop only). */
    long intendedStart(long k) {
        return firstNanos + k * intervalNanos;
    }
}
