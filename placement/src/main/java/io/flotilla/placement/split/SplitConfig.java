package io.flotilla.placement.split;

/**
 * When a range is split.
 *
 * @param maxRangeBytes         a range at least this big is split at its size midpoint
 * @param loadThreshold         a range serving at least this many reads+writes per second is
 *                              split at its load midpoint
 * @param minLoadWindowMillis   rates measured over a shorter window are not trusted: a brief
 *                              burst should not cut a range in two
 */
public record SplitConfig(long maxRangeBytes, double loadThreshold, long minLoadWindowMillis) {

    public static final long MIB = 1024L * 1024L;

    public SplitConfig {
        if (maxRangeBytes <= 0 || !(loadThreshold > 0) || minLoadWindowMillis < 0) {
            throw new IllegalArgumentException("split thresholds must be positive, got " + maxRangeBytes + " bytes, "
                    + loadThreshold + "/s over " + minLoadWindowMillis + " ms");
        }
    }

    /** 64 MiB, or 2,500 requests per second sustained over at least 30 s. */
    public static SplitConfig defaults() {
        return new SplitConfig(64 * MIB, 2_500, 30_000);
    }
}
