package io.flotilla.bench.load.run;

import io.flotilla.bench.load.keys.InsertCounter;
import io.flotilla.bench.load.keys.KeyNames;
import io.flotilla.bench.load.report.HistogramLog;
import io.flotilla.bench.load.report.IntervalCollector;
import io.flotilla.bench.load.report.OperationLatencies;
import io.flotilla.bench.load.report.PhaseResult;
import io.flotilla.bench.load.report.ProgressLine;
import io.flotilla.bench.load.workload.Operation;
import io.flotilla.bench.load.workload.WorkloadSpec;
import io.flotilla.client.BlockingKv;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The measured phase: N client threads issue the workload's mix, closed loop (each as fast as
 * its last call returns) or open loop (a fixed schedule at the target rate), until the time or
 * the operation budget runs out.
 *
 * @param targetOpsPerSecond 0 for a closed loop
 */
public record RunPhase(WorkloadSpec spec, int threads, double seconds, long maxOps, double targetOpsPerSecond,
                       long seed) {

    public PhaseResult run(BlockingKv kv, InsertCounter inserts, HistogramLog log, ProgressLine progress) {
        KeyNames names = new KeyNames(spec.hashedKeys());
        OperationLatencies latencies = new OperationLatencies();
        Set<Operation> used = EnumSet.noneOf(Operation.class);
        spec.mix().asMap().forEach((op, p) -> {
            if (p > 0) {
                used.add(op);
            }
        });
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        AtomicLong budget = new AtomicLong(maxOps);
        IntervalCollector collector = new IntervalCollector(latencies, log, used, start);
        List<PhaseDriver.Client> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            // Seeds differ by thread and from the load phase's, so no two threads draw alike.
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + 7919L * (i + 1));
            OperationIssuer issuer = new OperationIssuer(kv, spec, names, inserts,
                    spec.distribution().chooser(random.nextLong(), inserts::readable), random, latencies);
            Pace pace = targetOpsPerSecond > 0 ? Pace.open(targetOpsPerSecond, threads, i, start) : Pace.closed();
            clients.add(() -> loop(issuer, pace, deadline, budget));
        }
        // A client stuck in a call is abandoned one request deadline after the end, at most.
        long hardLimit = deadline + TimeUnit.SECONDS.toNanos(60);
        return PhaseDriver.drive("run", clients, latencies, collector, start, hardLimit, progress,
                TimeUnit.SECONDS.toNanos(1));
    }

    /** One client thread; returns the scheduled operations it never started (open loop, behind at the end). */
    private static long loop(OperationIssuer issuer, Pace pace, long deadline, AtomicLong budget) {
        for (long k = 0; ; k++) {
            long intended = pace.open() ? pace.intendedStart(k) : System.nanoTime();
            if (intended >= deadline || budget.getAndDecrement() <= 0) {
                return 0;
            }
            if (pace.open()) {
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() >= deadline) {
                    // Behind schedule at the end: these never ran, and are reported rather than dropped.
                    return (deadline - intended + pace.intervalNanos() - 1) / pace.intervalNanos();
                }
            }
            issuer.issue(issuer.choose(), intended);
        }
    }
}
