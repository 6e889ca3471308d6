package io.flotilla.store.server;

import io.grpc.Context;
import io.grpc.Deadline;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long a request may take: the client's {@code header.timeout_ms}, else the gRPC deadline,
 * else the server's default; never more than the cap, so a forgotten deadline cannot pin
 * server resources forever.
 */
public final class RequestDeadline {
    private RequestDeadline() {
    }

    /**
     * Milliseconds the current request may take. Call on the thread that runs the gRPC handler:
     * the gRPC deadline lives in its {@link Context}.
     */
    public static long millis(int headerTimeoutMs, Duration serverDefault, Duration cap) {
        long ms;
        if (headerTimeoutMs > 0) {
            ms = headerTimeoutMs;
        } else {
            Deadline d = Context.current().getDeadline();
            ms = d == null ? serverDefault.toMillis() : Math.max(1, d.timeRemaining(TimeUnit.MILLISECONDS));
        }
        return Math.min(ms, cap.toMillis());
    }
}
