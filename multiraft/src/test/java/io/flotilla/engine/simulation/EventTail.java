package io.flotilla.engine.simulation;

import java.util.ArrayDeque;

/** The last lines of a run's history, for the failure report; rendered only when a run fails. */
final class EventTail {
    private final int capacity;
    private final ArrayDeque<String> lines;

    EventTail(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    void add(String line) {
        if (lines.size() == capacity) {
            lines.pollFirst();
        }
        lines.addLast(line);
    }

    String render() {
        StringBuilder s = new StringBuilder();
        for (String l : lines) {
            s.append("  ").append(l).append('\n');
        }
        return s.toString();
    }
}
