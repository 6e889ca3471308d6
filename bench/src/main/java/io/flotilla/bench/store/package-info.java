/**
 * The range-store write benchmark: {@link io.flotilla.bench.store.WriteBenchmark} drives three
 * in-process StoreNodes on real RocksDB with closed-loop clients ({@link io.flotilla.bench.store.WriteLoad})
 * and times splits ({@link io.flotilla.bench.store.SplitRun}).
 */
package io.flotilla.bench.store;
