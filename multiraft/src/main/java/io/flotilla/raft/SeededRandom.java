package io.flotilla.raft;

/**
 * The seeded source of a replica's election timeouts: SplitMix64 (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014), the generator behind
 * {@link java.util.SplittableRandom}, drawing the same sequence for the same seed. Its whole
 * state is one long that the replica keeps in a field (a {@code SplittableRandom} would cost
 * two objects per replica, and a node holds a hundred thousand replicas), so these are
 * functions of that state.
 */
final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private SeededRandom() {
    }

    /** The state after one draw. */
    static long next(long state) {
        return state + GOLDEN_GAMMA;
    }

    /** The 32 random bits of the draw that produced {@code state}. */
    static int bits(long state) {
        long z = (state ^ (state >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /**
     * Whether {@code r}, 31 uniform bits, falls in the top sliver of the range that would bias
     * {@code r % bound}: such a draw is thrown away and another taken.
     */
    static boolean biased(int r, int bound) {
        return r - r % bound + (bound - 1) < 0;
    }
}
