/**
 * {@code bin/flotilla bench load}: a YCSB-style load generator for a running or loopback-started
 * cluster. Subpackages: {@code keys} (which key), {@code workload} (which operation),
 * {@code run} (closed and open loop), {@code report} (latency, time series, hlog, plot),
 * {@code cluster} (what it runs against).
 */
package io.flotilla.bench.load;
