package io.flotilla.placement.balance;

/**
 * How far a node's count may stray from the mean before a balancer acts: the larger of an
 * absolute slack and a fraction of the mean (±1 or ±5% by default). Counts are whole numbers
 * and the mean need not be, so the slack is never under 1/2, else no spread would ever do.
 */
public record BalanceTolerance(double fraction, double minAbsolute) {

    public BalanceTolerance {
        if (!(fraction >= 0) || !(minAbsolute >= 0.5)) {
            throw new IllegalArgumentException("need fraction >= 0 and an absolute slack >= 0.5, got "
                    + fraction + " and " + minAbsolute);
        }
    }

    /** ±1 per node or ±5%, whichever is looser. */
    public static BalanceTolerance defaults() {
        return new BalanceTolerance(0.05, 1.0);
    }

    public double allowed(double mean) {
        return Math.max(minAbsolute, fraction * mean);
    }

    public boolean within(int count, double mean) {
        return Math.abs(count - mean) <= allowed(mean) + 1e-9;
    }

    public boolean above(int count, double mean) {
        return count - mean > allowed(mean) + 1e-9;
    }

    public boolean below(int count, double mean) {
        return mean - count > allowed(mean) + 1e-9;
    }
}
