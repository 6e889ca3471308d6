package io.flotilla.bench.load.run;

import io.flotilla.bench.load.report.IntervalCollector;
import io.flotilla.bench.load.report.OperationLatencies;
import io.flotilla.bench.load.report.PhaseResult;
import io.flotilla.bench.load.report.ProgressLine;
import io.flotilla.bench.load.report.Second;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a phase's client threads and, on the calling thread, samples their recorders once per
 * interval (throughput over time, the histogram log, the progress line) until every client is
 * done. A client that outlives the phase's hard limit is abandoned, not waited for forever.
 */
final class PhaseDriver {
    /** A client thread's body; returns how many scheduled operations it never started. */
    interface Client {
        long run();
    }

    private PhaseDriver() {
    }

    static PhaseResult drive(String name, List<Client> clients, OperationLatencies latencies,
                             IntervalCollector collector, long startNanos, long hardLimitNanos,
                             ProgressLine progress, long intervalNanos) {
        AtomicLong notStarted = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            Thread t = new Thread(() -> notStarted.addAndGet(c.run()), "load-" + name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long next = startNanos + intervalNanos;
        while (threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < hardLimitNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                // Wake early if every client is done, so a short phase does not wait out the interval.
                LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
                if (System.nanoTime() < next) {
                    continue;
                }
            }
            Second s = collector.sample(System.nanoTime());
            if (progress != null) {
                progress.print(s, collector.completed());
            }
            next += intervalNanos;
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long end = System.nanoTime();
        Second last = collector.sample(end);
        if (progress != null && last.opsPerSecond() > 0) {
            progress.print(last, collector.completed());
        }
        return new PhaseResult(name, (end - startNanos) / 1e9, collector, latencies, notStarted.get());
    }
}
