package io.flotilla.bench.load.run;

import io.flotilla.bench.load.keys.InsertCounter;
import io.flotilla.bench.load.keys.KeyChooser;
import io.flotilla.bench.load.keys.KeyNames;
import io.flotilla.bench.load.report.OperationLatencies;
import io.flotilla.bench.load.workload.Operation;
import io.flotilla.bench.load.workload.WorkloadSpec;
import io.flotilla.client.BlockingKv;
import io.flotilla.client.CasResult;
import io.flotilla.client.error.FlotillaException;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One client thread's hands: chooses the next operation and key from its own seeded random
 * source, carries the operation out through the blocking client, and records how it went.
 * An error is a figure (counted by kind), never the end of the run.
 */
final class OperationIssuer {
    private final BlockingKv kv;
    private final WorkloadSpec spec;
    private final KeyNames names;
    private final InsertCounter inserts;
    private final KeyChooser keys;
    private final SplittableRandom random;
    private final OperationLatencies latencies;

    OperationIssuer(BlockingKv kv, WorkloadSpec spec, KeyNames names, InsertCounter inserts, KeyChooser keys,
                    SplittableRandom random, OperationLatencies latencies) {
        this.kv = kv;
        this.spec = spec;
        this.names = names;
        this.inserts = inserts;
        this.keys = keys;
        this.random = random;
        this.latencies = latencies;
    }

    Operation choose() {
        return spec.mix().pick(random.nextDouble());
    }

    /** Carries out {@code op}; its response time counts from {@code intendedStartNanos}. */
    void issue(Operation op, long intendedStartNanos) {
        long start = System.nanoTime();
        try {
            switch (op) {
                case READ -> {
                    if (kv.get(names.key(keys.next())).isEmpty()) {
                        latencies.recordNotFound();
                    }
                }
                case UPDATE -> kv.put(names.key(keys.next()), spec.valueSizes().next(random));
                case INSERT -> insert(inserts.next());
                case SCAN -> kv.scan(names.key(keys.next()), null, 1 + random.nextInt(spec.maxScanLength()));
                case READ_MODIFY_WRITE -> readModifyWrite(names.key(keys.next()));
                default -> throw new IllegalStateException("no such operation " + op);
            }
            latencies.recordSuccess(op, intendedStartNanos, start, System.nanoTime());
        } catch (FlotillaException e) {
            latencies.recordFailure(op, e);
        }
    }

    /** The load phase's put of record {@code record}, timed as an INSERT. */
    void load(long record) {
        long start = System.nanoTime();
        try {
            kv.put(names.key(record), spec.valueSizes().next(random));
            latencies.recordSuccess(Operation.INSERT, start, start, System.nanoTime());
        } catch (FlotillaException e) {
            latencies.recordFailure(Operation.INSERT, e);
        }
    }

    private void insert(long record) {
        try {
            kv.put(names.key(record), spec.valueSizes().next(random));
        } finally {
            inserts.acknowledge(record);
        }
    }

    /**
     * Workload F's read-modify-write, made atomic the way Flotilla offers: read, then
     * compare-and-set from the value read. A lost race is counted, not retried: retrying would
     * hide contention inside a longer latency.
     */
    private void readModifyWrite(byte[] key) {
        Optional<byte[]> old = kv.get(key);
        CasResult r = kv.compareAndSet(key, old.orElse(null), spec.valueSizes().next(random));
        if (!r.succeeded()) {
            latencies.recordCasConflict();
        }
    }
}
