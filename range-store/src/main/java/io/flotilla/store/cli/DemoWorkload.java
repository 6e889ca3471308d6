package io.flotilla.store.cli;

import io.flotilla.client.BlockingKv;
import io.flotilla.client.error.FlotillaException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A short mixed workload for the demo: closed-loop clients doing gets, puts and short scans on
 * uniformly chosen keys, bounded in time and in operations. It reports throughput and latency
 * per operation type, and every error by kind: an error is a figure, not a crash.
 */
final class DemoWorkload {
    /** Keys are "user000000" .. : the demo's splits cut this space evenly. */
    static final int KEYS = 100_000;
    private static final int MAX_SAMPLES_PER_CLIENT = 200_000;

    enum Op { GET, PUT, SCAN }

    record Result(double seconds, long ops, Map<Op, long[]> latenciesMicros, Map<String, Long> errors) {
        double opsPerSecond() {
            return ops / seconds;
        }
    }

    static byte[] key(int i) {
        return String.format("user%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    static Result run(BlockingKv kv, int clients, double seconds, long maxOps, long seed) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong budget = new AtomicLong(maxOps);
        Map<String, Long> errors = new ConcurrentHashMap<>();
        List<Samples[]> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Samples[] mine = new Samples[Op.values().length];
            for (Op op : Op.values()) {
                mine[op.ordinal()] = new Samples();
            }
            samples.add(mine);
            SplittableRandom random = new SplittableRandom(seed + c);
            Thread t = new Thread(() -> {
                byte[] value = new byte[16];
                while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                    int dice = random.nextInt(100);
                    Op op = dice < 50 ? Op.GET : dice < 95 ? Op.PUT : Op.SCAN;
                    byte[] k = key(random.nextInt(KEYS));
                    long t0 = System.nanoTime();
                    try {
                        switch (op) {
                            case GET -> kv.get(k);
                            case PUT -> {
                                random.nextBytes(value);
                                kv.put(k, value);
                            }
                            case SCAN -> kv.scan(k, null, 10);
                            default -> throw new IllegalStateException();
                        }
                        mine[op.ordinal()].add((System.nanoTime() - t0) / 1000);
                    } catch (FlotillaException e) {
                        errors.merge(e.getClass().getSimpleName(), 1L, Long::sum);
                    }
                }
            }, "demo-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<Op, long[]> merged = new LinkedHashMap<>();
        long ops = 0;
        for (Op op : Op.values()) {
            int total = 0;
            for (Samples[] mine : samples) {
                total += mine[op.ordinal()].size;
            }
            long[] all = new long[total];
            int at = 0;
            for (Samples[] mine : samples) {
                Samples one = mine[op.ordinal()];
                System.arraycopy(one.values, 0, all, at, one.size);
                at += one.size;
            }
            Arrays.sort(all);
            merged.put(op, all);
            ops += total;
        }
        return new Result(elapsed, ops, merged, new TreeMap<>(errors));
    }

    /**
     * One client's latencies of one kind: grows as needed up to a cap, rather than reserving the
     * cap for every client and kind up front (that was 150 MB for a short demo).
     */
    private static final class Samples {
        long[] values = new long[1024];
        int size;

        void add(long micros) {
            if (size == values.length) {
                if (size >= MAX_SAMPLES_PER_CLIENT) {
                    return;
                }
                values = Arrays.copyOf(values, Math.min(MAX_SAMPLES_PER_CLIENT, size * 2));
            }
            values[size++] = micros;
        }
    }

    static double percentileMillis(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedMicros.length - 1, Math.ceil(p / 100.0 * sortedMicros.length) - 1);
        return sortedMicros[Math.max(0, i)] / 1000.0;
    }
}
