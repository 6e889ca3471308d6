package io.flotilla.bench.load.keys;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The newest records are the hottest (YCSB's "latest", workload D): a Zipf rank counted back
 * from the last record inserted, so rank 0 is the newest record. As inserts land, the hot spot
 * moves with them.
 */
public final class LatestKeys implements KeyChooser {
    private final SplittableRandom random;
    private final LongSupplier records;
    private final ZipfRanks ranks;

    LatestKeys(SplittableRandom random, LongSupplier records) {
        this.random = random;
        this.records = records;
        this.ranks = new ZipfRanks(Math.max(1, records.getAsLong()), ZipfRanks.THETA);
    }

    @Override
    public long next() {
        long n = Math.max(1, records.getAsLong());
        ranks.grow(n);
        return n - 1 - ranks.next(random);
    }
}
