package io.flotilla.bench.load.report;

import io.flotilla.bench.load.workload.Operation;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one phase (load or run) measured, and its rendering for the result file.
 *
 * @param seconds              wall time from the phase's start to its last operation's end
 * @param scheduledNotStarted  open loop only: operations due before the end that never started
 *                             because the clients were behind (0 in a closed loop)
 */
public record PhaseResult(String name, double seconds, IntervalCollector collector, OperationLatencies latencies,
                          long scheduledNotStarted) {

    public long completed() {
        return collector.allResponse().getTotalCount();
    }

    public double opsPerSecond() {
        return completed() / seconds;
    }

    public Map<String, Object> toJson(boolean withTimeline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operations", completed());
        m.put("seconds", seconds);
        m.put("opsPerSecond", opsPerSecond());
        m.put("failed", latencies.failedTotal());
        m.put("errorsByKind", new LinkedHashMap<String, Object>(latencies.errorsByKind()));
        m.put("firstErrorByKind", new LinkedHashMap<String, Object>(latencies.firstErrorByKind()));
        m.put("notFound", latencies.notFound());
        m.put("casConflicts", latencies.casConflicts());
        m.put("scheduledNotStarted", scheduledNotStarted);
        m.put("responseMillis", LatencySummary.millis(collector.allResponse()));
        Map<String, Object> byOp = new LinkedHashMap<>();
        for (Map.Entry<Operation, Histogram> e : collector.totalResponse().entrySet()) {
            Operation op = e.getKey();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("count", e.getValue().getTotalCount());
            o.put("opsPerSecond", e.getValue().getTotalCount() / seconds);
            o.put("failed", latencies.failed(op));
            o.put("responseMillis", LatencySummary.millis(e.getValue()));
            o.put("serviceMillis", LatencySummary.millis(collector.totalService().get(op)));
            byOp.put(op.name(), o);
        }
        m.put("byOperation", byOp);
        if (withTimeline) {
            List<Object> t = new ArrayList<>();
            for (Second s : collector.seconds()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("atSeconds", s.atSeconds());
                p.put("opsPerSecond", s.opsPerSecond());
                p.put("p50Millis", s.p50Millis());
                p.put("p99Millis", s.p99Millis());
                p.put("maxMillis", s.maxMillis());
                p.put("failed", s.failed());
                t.add(p);
            }
            m.put("timeline", t);
        }
        return m;
    }
}
