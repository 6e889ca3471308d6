/**
 * JMH benchmarks of the Raft core on one in-memory group of three replicas, driven by a tiny
 * synchronous host ({@link io.flotilla.bench.core.MemoryGroup}): no threads, no I/O, so the
 * figures are the cost of the consensus code itself plus the minimum a host must do.
 * {@link io.flotilla.bench.core.JmhSummary} turns JMH's JSON into the compact summary that
 * {@code bin/flotilla bench core} prints.
 */
package io.flotilla.bench.core;
