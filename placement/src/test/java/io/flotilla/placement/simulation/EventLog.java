package io.flotilla.placement.simulation;

import java.util.ArrayDeque;

/** The last events of a run, for the failure message, and a hash of all of them, for replay checks. */
final class EventLog {

    private static final int KEEP = 60;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private long hash = 17;
    private long count;

    void add(String event) {
        if (tail.size() == KEEP) {
            tail.removeFirst();
        }
        tail.addLast(event);
        hash = hash * 31 + event.hashCode();
        count++;
    }

    long hash() {
        return hash;
    }

    long count() {
        return count;
    }

    String render() {
        return String.join("\n", tail);
    }
}
