package io.flotilla.bench.load.workload;

import io.flotilla.bench.load.keys.KeyDistribution;

import java.util.Locale;

/**
 * YCSB's core workloads A-F: the same operation mixes and key distributions as the
 * {@code workloads/workload[a-f]} files of YCSB, so figures compare with published ones.
 */
public enum Preset {
    /** Update heavy: 50% reads, 50% updates, Zipfian (a session store recording recent actions). */
    A(new OperationMix(0.5, 0.5, 0, 0, 0), KeyDistribution.ZIPFIAN),
    /** Read mostly: 95% reads, 5% updates, Zipfian (photo tagging). */
    B(new OperationMix(0.95, 0.05, 0, 0, 0), KeyDistribution.ZIPFIAN),
    /** Read only, Zipfian (a user profile cache). */
    C(new OperationMix(1, 0, 0, 0, 0), KeyDistribution.ZIPFIAN),
    /** Read latest: 95% reads, 5% inserts, the newest records hottest (status updates). */
    D(new OperationMix(0.95, 0, 0.05, 0, 0), KeyDistribution.LATEST),
    /** Short ranges: 95% scans of 1-100 records, 5% inserts, Zipfian start keys (threaded conversations). */
    E(new OperationMix(0, 0, 0.05, 0.95, 0), KeyDistribution.ZIPFIAN),
    /** Read-modify-write: 50% reads, 50% read then compare-and-set, Zipfian (a user database). */
    F(new OperationMix(0.5, 0, 0, 0, 0.5), KeyDistribution.ZIPFIAN);

    private final OperationMix mix;
    private final KeyDistribution distribution;

    Preset(OperationMix mix, KeyDistribution distribution) {
        this.mix = mix;
        this.distribution = distribution;
    }

    public OperationMix mix() {
        return mix;
    }

    public KeyDistribution distribution() {
        return distribution;
    }

    /** "a", "B", "workloadc": the message lists the accepted names. */
    public static Preset parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("WORKLOAD")) {
            n = n.substring("WORKLOAD".length());
        }
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown workload '" + name + "'; use a YCSB preset A, B, C, D, E or F");
        }
    }
}
