package io.flotilla.client.retry;

import java.time.Duration;
import java.util.function.LongSupplier;

/** The moment a request must be finished by, on a monotonic nanosecond clock. */
public final class Deadline {
    private final long atNanos;
    private final Duration timeout;
    private final LongSupplier nanoClock;

    private Deadline(long atNanos, Duration timeout, LongSupplier nanoClock) {
        this.atNanos = atNanos;
        this.timeout = timeout;
        this.nanoClock = nanoClock;
    }

    public static Deadline after(Duration timeout, LongSupplier nanoClock) {
        return new Deadline(nanoClock.getAsLong() + timeout.toNanos(), timeout, nanoClock);
    }

    public long remainingNanos() {
        return atNanos - nanoClock.getAsLong();
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    /** The whole timeout this deadline was set with, for messages. */
    public Duration timeout() {
        return timeout;
    }
}
