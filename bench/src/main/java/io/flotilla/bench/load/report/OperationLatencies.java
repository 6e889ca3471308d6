package io.flotilla.bench.load.report;

import io.flotilla.bench.load.workload.Operation;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the client threads record while a phase runs: per operation, the response time (from
 * the operation's intended start: in an open loop a late start counts against the system,
 * which is the correction for coordinated omission) and the service time (from the actual
 * start: what the cluster itself took); and the operations that failed, by error kind.
 * Recording is wait-free (HdrHistogram {@link Recorder}); one reader takes interval snapshots.
 */
public final class OperationLatencies {
    /** Microseconds, 1 us to one hour, 3 significant digits: ~0.1% error at any latency. */
    static final long HIGHEST_MICROS = 3_600_000_000L;
    static final int DIGITS = 3;

    private final Map<Operation, Recorder> response = new EnumMap<>(Operation.class);
    private final Map<Operation, Recorder> service = new EnumMap<>(Operation.class);
    private final Map<Operation, LongAdder> failed = new EnumMap<>(Operation.class);
    private final Map<String, LongAdder> errorsByKind = new ConcurrentHashMap<>();
    private final LongAdder casConflicts = new LongAdder();
    private final LongAdder notFound = new LongAdder();
    private final Map<String, String> firstErrorByKind = new ConcurrentHashMap<>();

    public OperationLatencies() {
        for (Operation op : Operation.values()) {
            response.put(op, new Recorder(HIGHEST_MICROS, DIGITS));
            service.put(op, new Recorder(HIGHEST_MICROS, DIGITS));
            failed.put(op, new LongAdder());
        }
    }

    public static Histogram emptyHistogram() {
        return new Histogram(HIGHEST_MICROS, DIGITS);
    }

    /** A completed operation: its intended start, actual start and end, in System.nanoTime. */
    public void recordSuccess(Operation op, long intendedStartNanos, long startNanos, long endNanos) {
        response.get(op).recordValue(clamp((endNanos - intendedStartNanos) / 1000));
        service.get(op).recordValue(clamp((endNanos - startNanos) / 1000));
    }

    /** An operation the cluster refused or did not answer in time; counted, not timed. */
    public void recordFailure(Operation op, Throwable error) {
        failed.get(op).increment();
        String kind = error.getClass().getSimpleName();
        errorsByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        firstErrorByKind.putIfAbsent(kind, String.valueOf(error.getMessage()));
    }

    /** A compare-and-set that found another value (a lost race): a figure of the workload, not an error. */
    public void recordCasConflict() {
        casConflicts.increment();
    }

    /** A read of a record that was not there (should stay 0 after a complete load phase). */
    public void recordNotFound() {
        notFound.increment();
    }

    Recorder response(Operation op) {
        return response.get(op);
    }

    Recorder service(Operation op) {
        return service.get(op);
    }

    public long failed(Operation op) {
        return failed.get(op).sum();
    }

    public long failedTotal() {
        return failed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> errorsByKind() {
        Map<String, Long> m = new java.util.TreeMap<>();
        errorsByKind.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public Map<String, String> firstErrorByKind() {
        return new java.util.TreeMap<>(firstErrorByKind);
    }

    public long casConflicts() {
        return casConflicts.sum();
    }

    public long notFound() {
        return notFound.sum();
    }

    private static long clamp(long micros) {
        return Math.max(1, Math.min(HIGHEST_MICROS, micros));
    }
}
