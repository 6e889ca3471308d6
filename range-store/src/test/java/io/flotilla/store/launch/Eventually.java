package io.flotilla.store.launch;

import io.flotilla.client.error.FlotillaException;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting, bounded in time, for a cluster of node processes to reach a state. */
final class Eventually {
    private Eventually() {
    }

    /** Polls {@code condition} until it holds; a typed client error means "not yet". */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (FlotillaException e) {
                // Not yet: the cluster is still moving.
            }
            LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
    }
}
