package io.flotilla.client;

import io.flotilla.client.error.FlotillaException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The key-value calls of a {@link FlotillaClient}, blocking until the outcome. Failures are
 * thrown as the same {@link FlotillaException}s the futures carry (an interrupt while waiting
 * throws {@link FlotillaException.RpcFailed} with the interrupt flag set again).
 */
public final class BlockingKv {
    private final FlotillaClient client;

    BlockingKv(FlotillaClient client) {
        this.client = client;
    }

    public Optional<byte[]> get(byte[] key) {
        return await("Get", client.get(key));
    }

    public Optional<byte[]> get(byte[] key, ReadConsistency consistency) {
        return await("Get", client.get(key, consistency));
    }

    public void put(byte[] key, byte[] value) {
        await("Put", client.put(key, value));
    }

    public void delete(byte[] key) {
        await("Delete", client.delete(key));
    }

    public List<KeyValue> scan(byte[] start, byte[] endOrNull, int limit) {
        return await("Scan", client.scan(start, endOrNull, limit));
    }

    public List<KeyValue> scan(byte[] start, byte[] endOrNull, int limit, ReadConsistency consistency) {
        return await("Scan", client.scan(start, endOrNull, limit, consistency));
    }

    public CasResult compareAndSet(byte[] key, byte[] expectedOrNull, byte[] newValueOrNull) {
        return await("CompareAndSet", client.compareAndSet(key, expectedOrNull, newValueOrNull));
    }

    public BatchResult batch(List<BatchOp> ops) {
        return await("Batch", client.batch(ops));
    }

    private static <T> T await(String call, CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlotillaException.RpcFailed("interrupted while waiting for " + call
                    + "; its outcome is unknown", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                // Rethrown as is, so callers can catch the typed kinds; its trace shows where it failed.
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new FlotillaException.RpcFailed(call + " failed: " + cause, cause);
        }
    }
}
