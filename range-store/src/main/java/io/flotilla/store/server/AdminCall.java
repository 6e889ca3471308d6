package io.flotilla.store.server;

import io.flotilla.store.range.RangeException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One admin request in progress: when it must be done by, and whether a peer forwarded it here
 * (then it is not forwarded again). Waiting on it turns a passed deadline into
 * {@link RangeException.Timeout}.
 */
record AdminCall(long deadlineNanos, boolean forwarded) {

    static AdminCall within(long millis, boolean forwarded) {
        return new AdminCall(System.nanoTime() + millis * 1_000_000, forwarded);
    }

    long remainingMillis() {
        return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    /** The deadline, or {@code millis} from now if that comes first. */
    long deadlineWithin(long millis) {
        return Math.min(deadlineNanos, System.nanoTime() + millis * 1_000_000);
    }

    void checkTime(String what) {
        if (System.nanoTime() >= deadlineNanos) {
            throw new RangeException.Timeout(what);
        }
    }

    /** The future's value, waiting no longer than the deadline; its failure rethrown as it is. */
    <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(Math.max(1, remainingMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RangeException.Timeout(what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RangeException.Timeout(what + " (interrupted)");
        } catch (ExecutionException e) {
            Throwable cause = ProtoConvert.unwrap(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** A failed call to a peer, as the typed error its caller should see. */
    static RangeException peerFailure(long nodeId, String what, StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return new RangeException.Timeout(what + " on node " + nodeId);
        }
        return new RangeException.ProposalDropped(what + " on node " + nodeId + " failed: " + e.getStatus());
    }
}
