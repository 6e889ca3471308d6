package io.flotilla.placement.cluster;

import java.util.Optional;

/**
 * A range's size and load as its leader last reported them.
 *
 * @param readsPerSecond   mean reads per second over the last {@code windowMillis}
 * @param writesPerSecond  mean writes per second over the same window
 * @param windowMillis     how long the rates were measured over; a short window is not trusted
 * @param sizeMidpoint     a sampled key with about half the range's bytes on each side, if sampled
 * @param loadMidpoint     a sampled key with about half the range's requests on each side, if sampled
 */
public record RangeStats(long approximateBytes, double readsPerSecond, double writesPerSecond, long windowMillis,
                         Optional<Key> sizeMidpoint, Optional<Key> loadMidpoint) {

    public static final RangeStats EMPTY = new RangeStats(0, 0, 0, 0, Optional.empty(), Optional.empty());

    public RangeStats {
        if (approximateBytes < 0 || readsPerSecond < 0 || writesPerSecond < 0 || windowMillis < 0) {
            throw new IllegalArgumentException("range stats must not be negative");
        }
        if (Double.isNaN(readsPerSecond) || Double.isNaN(writesPerSecond)) {
            throw new IllegalArgumentException("range rates must be numbers");
        }
        sizeMidpoint = sizeMidpoint == null ? Optional.empty() : sizeMidpoint;
        loadMidpoint = loadMidpoint == null ? Optional.empty() : loadMidpoint;
    }

    /** Reads plus writes per second: what a load split compares with its threshold. */
    public double requestsPerSecond() {
        return readsPerSecond + writesPerSecond;
    }
}
