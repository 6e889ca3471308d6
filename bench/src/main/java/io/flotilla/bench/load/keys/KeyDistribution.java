package io.flotilla.bench.load.keys;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/** The key distributions of YCSB's core workloads, by the names YCSB gives them. */
public enum KeyDistribution {
    /** Every existing record equally likely. */
    UNIFORM,
    /** A few records are hot (Zipf, theta 0.99), and the hot ones are scattered over the key space. */
    ZIPFIAN,
    /** The most recently inserted records are the hot ones (workload D). */
    LATEST;

    /**
     * A chooser for one client thread.
     *
     * @param records how many records exist now (inserts grow it); read on every choice
     */
    public KeyChooser chooser(long seed, LongSupplier records) {
        SplittableRandom random = new SplittableRandom(seed);
        return switch (this) {
            case UNIFORM -> new UniformKeys(random, records);
            case ZIPFIAN -> new ZipfianKeys(random, records);
            case LATEST -> new LatestKeys(random, records);
        };
    }

    /** Parses a name case-insensitively; the message lists the accepted names. */
    public static KeyDistribution parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown key distribution '" + name + "'; use uniform, zipfian or latest");
        }
    }
}
