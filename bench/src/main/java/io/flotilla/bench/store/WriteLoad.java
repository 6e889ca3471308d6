package io.flotilla.bench.store;

import io.flotilla.bench.engine.ProcessCpu;
import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.KvOp;
import io.flotilla.store.range.RangeException;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Closed-loop clients: each thread puts a random key with a random value through the range's
 * leader, waits for it to apply, and goes again. A client is its own (client id, sequence)
 * session, one request at a time, so a retry after NotLeader or a timeout is applied at most
 * once. Latency is from the first attempt to the applied result, retries included, recorded only
 * while {@link #startRecording() recording}.
 */
final class WriteLoad {
    /** Attempts per write before it counts as failed. */
    private static final int MAX_ATTEMPTS = 100;
    private static final long ATTEMPT_TIMEOUT_MS = 5_000;

    private final StoreCluster cluster;
    private final int keyBytes;
    private final int valueBytes;
    private final long maxOps;
    private final List<Client> clients = new ArrayList<>();
    private final Map<Long, StoreNode> leaders = new ConcurrentHashMap<>();
    private final AtomicLong recorded = new AtomicLong();
    private volatile boolean recording;
    private volatile boolean stopped;

    WriteLoad(StoreCluster cluster, int threads, int keyBytes, int valueBytes, long maxOps, long seed) {
        if (keyBytes < 2) {
            throw new IllegalArgumentException("keys need at least the 2 bytes that pick the range");
        }
        this.cluster = cluster;
        this.keyBytes = keyBytes;
        this.valueBytes = valueBytes;
        this.maxOps = maxOps;
        for (int i = 0; i < threads; i++) {
            clients.add(new Client(i, seed));
        }
    }

    void start() {
        clients.forEach(c -> c.thread.start());
    }

    void startRecording() {
        recording = true;
    }

    void stopRecording() {
        recording = false;
    }

    /** Successful writes recorded so far. */
    long recordedOps() {
        return recorded.get();
    }

    boolean reachedMaxOps() {
        return recorded.get() >= maxOps;
    }

    /** Stops every client after its current write (bounded wait) and returns the totals. */
    Totals stop() {
        stopped = true;
        for (Client c : clients) {
            try {
                c.thread.join(2 * ATTEMPT_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long ops = 0;
        long notLeader = 0;
        long dropped = 0;
        long timeouts = 0;
        long failed = 0;
        String error = null;
        for (Client c : clients) {
            all.add(c.latency);
            ops += c.ops;
            notLeader += c.notLeader;
            dropped += c.dropped;
            timeouts += c.timeouts;
            failed += c.failed;
            error = error == null ? c.lastError : error;
        }
        return new Totals(ops, notLeader, dropped, timeouts, failed, error, all);
    }

    /**
     * @param ops        writes applied while recording
     * @param notLeader  attempts refused by a non-leader (routing retries)
     * @param dropped    attempts whose proposal Raft dropped
     * @param failed     writes given up (non-retryable error or attempts exhausted)
     * @param latencyUs  per write, microseconds
     */
    record Totals(long ops, long notLeader, long dropped, long timeouts, long failed, String firstError,
                  Histogram latencyUs) {
    }

    private final class Client implements Runnable {
        final Thread thread;
        final long clientId;
        final SplittableRandom random;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long seq;
        long ops;
        long notLeader;
        long dropped;
        long timeouts;
        long failed;
        String lastError;

        Client(int index, long seed) {
            // Client ids far from any StoreNode's own (node << 40 ^ nanoTime) and unique per run.
            this.clientId = (seed << 20) + index + 1;
            this.random = new SplittableRandom(seed * 1_000_003 + index);
            this.thread = new Thread(this, ProcessCpu.CLIENT_THREAD_PREFIX + "-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            // Bounded by count (maxOps, shared) and time (stopped by the tool after its window).
            while (!stopped && !reachedMaxOps()) {
                byte[] key = new byte[keyBytes];
                random.nextBytes(key);
                byte[] value = new byte[valueBytes];
                random.nextBytes(value);
                long start = System.nanoTime();
                boolean ok = write(key, value);
                long end = System.nanoTime();
                if (ok && recording) {
                    latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(end - start),
                            latency.getHighestTrackableValue()));
                    ops++;
                    recorded.incrementAndGet();
                }
            }
        }

        private boolean write(byte[] key, byte[] value) {
            long s = ++seq;
            List<KvOp> op = List.of(new KvOp.Put(key, value));
            for (int attempt = 0; attempt < MAX_ATTEMPTS && !stopped; attempt++) {
                long rangeId = cluster.nodes().get(1L).rangeFor(key).descriptor().rangeId();
                StoreNode target = leaders.get(rangeId);
                if (target == null) {
                    target = cluster.leaderOf(rangeId);
                    if (target == null) {
                        LockSupport.parkNanos(1_000_000);
                        continue;
                    }
                    leaders.put(rangeId, target);
                }
                try {
                    target.write(clientId, s, op).get(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    return true;
                } catch (ExecutionException e) {
                    leaders.remove(rangeId);
                    Throwable c = e.getCause();
                    if (c instanceof RangeException.NotLeader nl) {
                        notLeader++;
                        StoreNode hint = cluster.nodes().get(nl.leaderNode());
                        if (hint != null) {
                            leaders.put(rangeId, hint);
                        }
                    } else if (c instanceof RangeException.ProposalDropped) {
                        dropped++;
                        LockSupport.parkNanos(1_000_000);
                    } else if (!(c instanceof RangeException.KeyNotInRange || c instanceof RangeException.EpochNotMatch)) {
                        failed++;
                        lastError = String.valueOf(c);
                        return false;
                    }
                } catch (TimeoutException e) {
                    timeouts++;
                    leaders.remove(rangeId);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (!stopped) {
                failed++;
                lastError = "gave up after " + MAX_ATTEMPTS + " attempts";
            }
            return false;
        }
    }
}
