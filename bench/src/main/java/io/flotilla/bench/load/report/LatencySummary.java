package io.flotilla.bench.load.report;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/** A histogram's figures as the result file and table show them: milliseconds, p50 .. max. */
public final class LatencySummary {
    private LatencySummary() {
    }

    public static Map<String, Object> millis(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean empty = h.getTotalCount() == 0;
        m.put("p50", empty ? null : h.getValueAtPercentile(50) / 1000.0);
        m.put("p90", empty ? null : h.getValueAtPercentile(90) / 1000.0);
        m.put("p99", empty ? null : h.getValueAtPercentile(99) / 1000.0);
        m.put("p999", empty ? null : h.getValueAtPercentile(99.9) / 1000.0);
        m.put("max", empty ? null : h.getMaxValue() / 1000.0);
        m.put("mean", empty ? null : h.getMean() / 1000.0);
        return m;
    }
}
