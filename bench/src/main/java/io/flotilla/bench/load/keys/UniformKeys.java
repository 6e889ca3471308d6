package io.flotilla.bench.load.keys;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/** Every existing record equally likely. */
public final class UniformKeys implements KeyChooser {
    private final SplittableRandom random;
    private final LongSupplier records;

    UniformKeys(SplittableRandom random, LongSupplier records) {
        this.random = random;
        this.records = records;
    }

    @Override
    public long next() {
        return random.nextLong(Math.max(1, records.getAsLong()));
    }
}
