/**
 * Which key a load operation touches: record numbers drawn uniformly, Zipfian (scrambled) or
 * latest-first, by seeded per-thread choosers; record numbers mapped to stored keys; the
 * counter of inserted records the choosers read.
 */
package io.flotilla.bench.load.keys;
