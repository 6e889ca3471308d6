package io.flotilla.store.range;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Limits snapshot installs on a node: a few at a time, and a byte rate, so that a node
 * catching up many ranges at once (after a long outage) does not starve its own disk and
 * Raft traffic. Shared by every range of the node.
 */
public final class SnapshotInstallLimiter {
    private final Semaphore concurrent;
    private final long bytesPerSecond;
    private long nextFreeNanos;

    /**
     * @param maxConcurrent  installs that may run at once
     * @param bytesPerSecond install throughput budget; 0 = unlimited
     */
    public SnapshotInstallLimiter(int maxConcurrent, long bytesPerSecond) {
        if (maxConcurrent <= 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("maxConcurrent must be positive and bytesPerSecond not negative");
        }
        this.concurrent = new Semaphore(maxConcurrent, true);
        this.bytesPerSecond = bytesPerSecond;
    }

    public static SnapshotInstallLimiter unlimited() {
        return new SnapshotInstallLimiter(Integer.MAX_VALUE, 0);
    }

    /** Waits for a slot and for the byte budget of an install of {@code bytes}; release when done. */
    public void acquire(long bytes) throws InterruptedException {
        concurrent.acquire();
        if (bytesPerSecond == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + TimeUnit.SECONDS.toNanos(1) * bytes / bytesPerSecond;
            wait = start - now;
        }
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    public void release() {
        concurrent.release();
    }
}
