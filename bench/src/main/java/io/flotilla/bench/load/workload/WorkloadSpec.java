package io.flotilla.bench.load.workload;

import io.flotilla.bench.load.keys.KeyDistribution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the load issues, independent of how fast: the operation mix, which keys, how many
 * records exist before the run, value sizes, and the longest scan.
 *
 * @param name           the preset's letter, or "custom" when the mix was given by hand
 * @param recordCount    records written by the load phase (numbers 0 .. recordCount-1)
 * @param maxScanLength  a scan reads a uniform 1 .. maxScanLength records
 * @param hashedKeys     keys hashed from record numbers (YCSB's default) or in record order
 */
public record WorkloadSpec(String name, OperationMix mix, KeyDistribution distribution, long recordCount,
                           ValueSizes valueSizes, int maxScanLength, boolean hashedKeys) {
    public WorkloadSpec {
        if (recordCount < 1) {
            throw new IllegalArgumentException("--record-count must be at least 1, got " + recordCount);
        }
        if (maxScanLength < 1) {
            throw new IllegalArgumentException("--max-scan-length must be at least 1, got " + maxScanLength);
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", name);
        m.put("mix", mix.describe());
        m.put("distribution", distribution.name().toLowerCase(java.util.Locale.ROOT));
        m.put("recordCount", recordCount);
        m.put("valueBytes", valueSizes.toString());
        m.put("maxScanLength", maxScanLength);
        m.put("keyOrder", hashedKeys ? "hashed" : "ordered");
        return m;
    }
}
