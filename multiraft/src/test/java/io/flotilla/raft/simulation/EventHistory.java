package io.flotilla.raft.simulation;

import java.util.ArrayDeque;

/**
 * The tail of a run's events, kept for the failure report. Entries are stored as objects and
 * rendered only when a run fails, so recording costs next to nothing.
 */
final class EventHistory {
    private final int capacity;
    private final ArrayDeque<Object[]> tail;
    private long count;

    EventHistory(int capacity) {
        this.capacity = capacity;
        this.tail = new ArrayDeque<>(capacity);
    }

    /** Records event number {@link #count()} as the concatenation of {@code parts}. */
    void record(Object... parts) {
        if (tail.size() == capacity) {
            tail.pollFirst();
        }
        Object[] e = new Object[parts.length + 1];
        e[0] = count++;
        System.arraycopy(parts, 0, e, 1, parts.length);
        tail.addLast(e);
    }

    long count() {
        return count;
    }

    String render() {
        StringBuilder s = new StringBuilder();
        for (Object[] e : tail) {
            s.append("  #").append(e[0]);
            for (int i = 1; i < e.length; i++) {
                s.append(' ').append(e[i]);
            }
            s.append('\n');
        }
        return s.toString();
    }
}
