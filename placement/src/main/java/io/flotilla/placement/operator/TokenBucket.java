package io.flotilla.placement.operator;

/**
 * A rate limit on operator starts with time passed in: tokens refill at {@code perSecond} up
 * to {@code burst}; a start takes one. Over any span of T ms at most
 * {@code burst + perSecond * T / 1000} starts happen.
 */
final class TokenBucket {

    private final double perSecond;
    private final int burst;
    private double tokens;
    private long lastMillis;
    private boolean started;

    TokenBucket(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Whole tokens available at {@code nowMillis}. */
    int available(long nowMillis) {
        refill(nowMillis);
        return (int) Math.floor(tokens);
    }

    boolean tryTake(long nowMillis) {
        refill(nowMillis);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void refill(long nowMillis) {
        if (!started) {
            started = true;
            lastMillis = nowMillis;
            return;
        }
        if (nowMillis > lastMillis) {
            tokens = Math.min(burst, tokens + perSecond * (nowMillis - lastMillis) / 1000.0);
            lastMillis = nowMillis;
        }
    }
}
