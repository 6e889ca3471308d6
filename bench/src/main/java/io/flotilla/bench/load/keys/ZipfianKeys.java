package io.flotilla.bench.load.keys;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Zipfian popularity with the hot records scattered: a Zipf rank is hashed (FNV-1a) onto a
 * record number, as YCSB's "scrambled zipfian" does. Without the scrambling the hot records
 * would be neighbours, all in one range, and the benchmark would measure one Raft group.
 */
public final class ZipfianKeys implements KeyChooser {
    private final SplittableRandom random;
    private final LongSupplier records;
    private final ZipfRanks ranks;

    ZipfianKeys(SplittableRandom random, LongSupplier records) {
        this.random = random;
        this.records = records;
        this.ranks = new ZipfRanks(Math.max(1, records.getAsLong()), ZipfRanks.THETA);
    }

    @Override
    public long next() {
        long n = Math.max(1, records.getAsLong());
        ranks.grow(n);
        return Long.remainderUnsigned(Fnv.hash64(ranks.next(random)), n);
    }
}
