package io.flotilla.bench.load.report;

import io.flotilla.bench.load.workload.Operation;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one reader of a phase's recorders: once per interval it takes each operation's interval
 * histogram, appends it to the histogram log, adds it to the phase totals, and keeps the
 * interval's throughput and latency for the time series and the progress line.
 */
public final class IntervalCollector {
    private final OperationLatencies latencies;
    private final HistogramLog log;
    private final Set<Operation> used;
    private final long phaseStartNanos;
    private final Map<Operation, Histogram> totalResponse = new EnumMap<>(Operation.class);
    private final Map<Operation, Histogram> totalService = new EnumMap<>(Operation.class);
    private final List<Second> seconds = new ArrayList<>();
    private long lastFailed;
    private long lastNanos;

    /** @param log where each interval is appended (tagged with the operation), or null for none */
    public IntervalCollector(OperationLatencies latencies, HistogramLog log, Set<Operation> used, long phaseStartNanos) {
        this.latencies = latencies;
        this.log = log;
        this.used = used;
        this.phaseStartNanos = phaseStartNanos;
        this.lastNanos = phaseStartNanos;
        for (Operation op : used) {
            totalResponse.put(op, OperationLatencies.emptyHistogram());
            totalService.put(op, OperationLatencies.emptyHistogram());
        }
    }

    /** Closes the current interval; returns its figures (also kept for {@link #seconds()}). */
    public Second sample(long nowNanos) {
        Histogram all = OperationLatencies.emptyHistogram();
        for (Operation op : used) {
            Histogram interval = latencies.response(op).getIntervalHistogram();
            Histogram serviceInterval = latencies.service(op).getIntervalHistogram();
            totalResponse.get(op).add(interval);
            totalService.get(op).add(serviceInterval);
            all.add(interval);
            if (log != null) {
                interval.setTag(op.name());
                log.append(interval);
            }
        }
        double wall = Math.max(1e-9, (nowNanos - lastNanos) / 1e9);
        lastNanos = nowNanos;
        long failedNow = latencies.failedTotal();
        long count = all.getTotalCount();
        Second s = new Second((nowNanos - phaseStartNanos) / 1e9, count / wall,
                count == 0 ? 0 : all.getValueAtPercentile(50) / 1000.0,
                count == 0 ? 0 : all.getValueAtPercentile(99) / 1000.0,
                count == 0 ? 0 : all.getMaxValue() / 1000.0, failedNow - lastFailed);
        lastFailed = failedNow;
        seconds.add(s);
        return s;
    }

    public List<Second> seconds() {
        return List.copyOf(seconds);
    }

    public Map<Operation, Histogram> totalResponse() {
        return totalResponse;
    }

    public Map<Operation, Histogram> totalService() {
        return totalService;
    }

    /** Operations completed so far in this phase. */
    public long completed() {
        return totalResponse.values().stream().mapToLong(Histogram::getTotalCount).sum();
    }

    /** Every operation's response times together. */
    public Histogram allResponse() {
        Histogram all = OperationLatencies.emptyHistogram();
        totalResponse.values().forEach(all::add);
        return all;
    }
}
