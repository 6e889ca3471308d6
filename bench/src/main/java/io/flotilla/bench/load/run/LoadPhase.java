package io.flotilla.bench.load.run;

import io.flotilla.bench.load.keys.KeyNames;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * YCSB's load phase: writes records 0 .. recordCount-1 once each (thread i takes every
 * threads-th record), closed loop, so the run phase reads keys that exist. Bounded in time: a
 * load that does not finish is reported as incomplete, and the run does not start.
 */
public record LoadPhase(WorkloadSpec spec, int threads, double maxSeconds, long seed) {

    public PhaseResult run(BlockingKv kv, ProgressLine progress) {
        KeyNames names = new KeyNames(spec.hashedKeys());
        OperationLatencies latencies = new OperationLatencies();
        long start = System.nanoTime();
        long deadline = start + (long) (maxSeconds * 1e9);
        IntervalCollector collector = new IntervalCollector(latencies, null, EnumSet.of(Operation.INSERT), start);
        List<PhaseDriver.Client> clients = new ArrayList<>();
        int n = (int) Math.min(threads, spec.recordCount());
        for (int i = 0; i < n; i++) {
            int first = i;
            OperationIssuer issuer = new OperationIssuer(kv, spec, names, null, null,
                    new SplittableRandom(seed * 31 + i), latencies);
            clients.add(() -> {
                long left = 0;
                for (long r = first; r < spec.recordCount(); r += n) {
                    if (System.nanoTime() >= deadline) {
                        left = (spec.recordCount() - r + n - 1) / n;
                        break;
                    }
                    issuer.load(r);
                }
                return left;
            });
        }
        return PhaseDriver.drive("load", clients, latencies, collector, start, deadline + TimeUnit.SECONDS.toNanos(60),
                progress, TimeUnit.SECONDS.toNanos(1));
    }
}
