package io.flotilla.store.server;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting, bounded, for a condition that other threads bring about (a leader elected, a learner
 * caught up). Admin operations are rare and run on their own threads, so they may block.
 */
final class Poll {
    private Poll() {
    }

    /** Polls every {@code everyMillis} until the condition holds or {@code deadlineNanos} passes; returns whether it held. */
    static boolean until(BooleanSupplier condition, long deadlineNanos, long everyMillis) {
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, everyMillis * 1_000_000));
            if (Thread.currentThread().isInterrupted()) {
                return condition.getAsBoolean();
            }
        }
    }
}
