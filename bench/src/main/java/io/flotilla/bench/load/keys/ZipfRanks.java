package io.flotilla.bench.load.keys;

import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks in {@code [0, n)}: rank 0 is the most popular, rank i has weight
 * 1 / (i + 1)^theta. The method is Gray et al., "Quickly generating billion-record synthetic
 * databases" (SIGMOD 1994), as YCSB uses it: O(1) per draw once zeta(n) is known. When n grows
 * (inserts), zeta is extended by the new terms only, so a growing key space costs O(growth),
 * not O(n) per draw.
 */
final class ZipfRanks {
    /** YCSB's constant: the top 1% of 1M records get about a third of the accesses. */
    static final double THETA = 0.99;

    private final double theta;
    private final double alpha;
    private final double zeta2;
    private long n;
    private double zetaN;
    private double eta;

    ZipfRanks(long n, double theta) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf distribution needs at least one item, not " + n);
        }
        this.theta = theta;
        this.alpha = 1.0 / (1.0 - theta);
        this.zeta2 = 1.0 + Math.pow(0.5, theta);
        this.n = 0;
        this.zetaN = 0;
        grow(n);
    }

    /** Extends the distribution to {@code newN} items (never shrinks). */
    void grow(long newN) {
        if (newN <= n) {
            return;
        }
        for (long i = n + 1; i <= newN; i++) {
            zetaN += 1.0 / Math.pow(i, theta);
        }
        n = newN;
        eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetaN);
    }

    long items() {
        return n;
    }

    long next(SplittableRandom random) {
        double u = random.nextDouble();
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < 1.0 + Math.pow(0.5, theta)) {
            return Math.min(1, n - 1);
        }
        long rank = (long) (n * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, n - 1);
    }
}
