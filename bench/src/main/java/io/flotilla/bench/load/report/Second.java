package io.flotilla.bench.load.report;

/**
 * One interval of the throughput-over-time series (normally one second).
 *
 * @param atSeconds      end of the interval, seconds since the phase started
 * @param opsPerSecond   operations completed in the interval, per second
 * @param p50Millis      response-time percentiles of those operations, all types together
 * @param failed         operations that failed in the interval
 */
public record Second(double atSeconds, double opsPerSecond, double p50Millis, double p99Millis, double maxMillis,
                     long failed) {
}
