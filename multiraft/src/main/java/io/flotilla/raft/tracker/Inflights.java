package io.flotilla.raft.tracker;

/**
 * The appends sent to one follower and not yet acknowledged, bounded both in count and in
 * bytes: a sliding window that keeps a slow follower from queueing unbounded data. A ring
 * buffer of (last index, bytes) per message, freed from the front as acknowledgements arrive.
 */
public final class Inflights {
    private final int capacity;
    private final long maxBytes;
    private static final long[] NONE = new long[0];

    // Grown on first use and shared while empty: a leader of an idle group holds no window.
    private long[] indexes = NONE;
    private long[] sizes = NONE;
    private int start;
    private int count;
    private long bytes;

    /**
     * @param capacity most messages in flight
     * @param maxBytes most bytes in flight; 0 means no byte limit
     */
    public Inflights(int capacity, long maxBytes) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("inflight capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** A fresh, empty window with the same limits. */
    public Inflights copyEmpty() {
        return new Inflights(capacity, maxBytes);
    }

    /** Records a sent message whose last entry has {@code index}. Indexes must increase. */
    public void add(long index, long size) {
        if (full()) {
            throw new IllegalStateException("inflights are full");
        }
        if (count == indexes.length) {
            grow();
        }
        int slot = (start + count) % indexes.length;
        indexes[slot] = index;
        sizes[slot] = size;
        count++;
        bytes += size;
    }

    // Grow lazily: most groups are idle and never need the full window.
    private void grow() {
        int n = Math.min(capacity, Math.max(1, indexes.length * 2));
        long[] ni = new long[n];
        long[] ns = new long[n];
        for (int i = 0; i < count; i++) {
            int slot = (start + i) % indexes.length;
            ni[i] = indexes[slot];
            ns[i] = sizes[slot];
        }
        indexes = ni;
        sizes = ns;
        start = 0;
    }

    /** Frees every message whose last index is at most {@code index}. */
    public void freeLE(long index) {
        if (count == 0 || indexes[start] > index) {
            return;
        }
        while (count > 0 && indexes[start] <= index) {
            bytes -= sizes[start];
            start = (start + 1) % indexes.length;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /** Frees the oldest message in flight. */
    public void freeFirst() {
        if (count > 0) {
            freeLE(indexes[start]);
        }
    }

    public boolean full() {
        return count == capacity || (maxBytes != 0 && bytes >= maxBytes);
    }

    public int count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    public void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
