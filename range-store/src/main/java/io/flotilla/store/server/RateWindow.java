package io.flotilla.store.server;

/**
 * Events per second over the last few whole seconds: one counter per second in a small ring,
 * so a rate reflects recent load, not the average since the node started.
 */
final class RateWindow {
    private static final int SECONDS = 10;
    private final long[] counts = new long[SECONDS];
    private final long[] stamps = new long[SECONDS];

    synchronized void record(long nowMillis) {
        long second = nowMillis / 1000;
        int slot = (int) (second % SECONDS);
        if (stamps[slot] != second) {
            stamps[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** The average over the last {@value #SECONDS} completed seconds. */
    synchronized double perSecond(long nowMillis) {
        long current = nowMillis / 1000;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            long age = current - stamps[i];
            if (age >= 1 && age <= SECONDS) {
                sum += counts[i];
            }
        }
        return sum / (double) SECONDS;
    }
}
