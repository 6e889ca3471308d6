/**
 * Whole-system benchmark tools for the multi-raft engine, run as plain main classes over
 * seconds (not JMH): {@link io.flotilla.bench.engine.IdleBenchmark} (the idle cost of many
 * groups: CPU, heap per replica, envelopes per node pair) and
 * {@link io.flotilla.bench.engine.StormBenchmark} (recovery after the node leading the most
 * groups dies). Both run several nodes in one process ({@link io.flotilla.bench.engine.EngineCluster}),
 * print a table with units and write JSON to {@code bench/results/} (see {@link io.flotilla.bench.engine.ResultFile}).
 */
package io.flotilla.bench.engine;
