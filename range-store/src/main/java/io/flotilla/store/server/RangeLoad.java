package io.flotilla.store.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Recent reads and writes per second served here, per range: what ListRanges reports as load. */
public final class RangeLoad {
    private final Map<Long, RateWindow> reads = new ConcurrentHashMap<>();
    private final Map<Long, RateWindow> writes = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public RangeLoad(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    public void read(long rangeId) {
        reads.computeIfAbsent(rangeId, id -> new RateWindow()).record(clock.getAsLong());
    }

    public void write(long rangeId) {
        writes.computeIfAbsent(rangeId, id -> new RateWindow()).record(clock.getAsLong());
    }

    public double readsPerSecond(long rangeId) {
        RateWindow w = reads.get(rangeId);
        return w == null ? 0 : w.perSecond(clock.getAsLong());
    }

    public double writesPerSecond(long rangeId) {
        RateWindow w = writes.get(rangeId);
        return w == null ? 0 : w.perSecond(clock.getAsLong());
    }

    /** Forgets a range that left this node. */
    public void forget(long rangeId) {
        reads.remove(rangeId);
        writes.remove(rangeId);
    }
}
