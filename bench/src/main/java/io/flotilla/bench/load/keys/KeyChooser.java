package io.flotilla.bench.load.keys;

/**
 * Picks the record number of the next key a load operation touches. One chooser per client
 * thread: each holds its own seeded random source, so a run is reproducible thread by thread
 * and choosing a key takes no lock.
 */
public sealed interface KeyChooser permits UniformKeys, ZipfianKeys, LatestKeys {
    /** A record number in {@code [0, records())} of the key space as it is now. */
    long next();
}
