/**
 * What a load run reports: per-operation latency recorders (coordinated-omission corrected),
 * the per-interval collector and its time series, the HdrHistogram log, the progress line and
 * the SVG plot.
 */
package io.flotilla.bench.load.report;
