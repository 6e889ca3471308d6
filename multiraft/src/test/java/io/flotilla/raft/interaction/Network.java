package io.flotilla.raft.interaction;

import io.flotilla.raft.message.Message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Messages in flight, in the order they were sent, and the links that are cut. A message
 * across a cut link is lost when it is delivered, as a real partition loses it.
 */
final class Network {
    /**
     * A message and the node that actually sent it: usually {@code message.from()}, but a
     * forwarded transfer request names the transferee there.
     */
    record Envelope(long sender, Message message) {
        @Override
        public String toString() {
            return Formats.message(sender, message);
        }
    }

    private final List<Envelope> queue = new ArrayList<>();
    private final Set<List<Long>> cuts = new HashSet<>();

    void send(long sender, Message m) {
        queue.add(new Envelope(sender, m));
    }

    List<Envelope> queued() {
        return List.copyOf(queue);
    }

    /** Removes and returns up to {@code limit} queued messages matching {@code filter}, oldest first. */
    List<Envelope> take(Predicate<Envelope> filter, int limit) {
        List<Envelope> out = new ArrayList<>();
        for (Iterator<Envelope> it = queue.iterator(); it.hasNext() && out.size() < limit; ) {
            Envelope e = it.next();
            if (filter.test(e)) {
                out.add(e);
                it.remove();
            }
        }
        return out;
    }

    /** Queues a second copy of every matching message, as a network may duplicate. */
    List<Envelope> duplicate(Predicate<Envelope> filter) {
        List<Envelope> copies = queue.stream().filter(filter).toList();
        queue.addAll(copies);
        return copies;
    }

    void cut(long a, long b) {
        if (a != b) {
            cuts.add(List.of(Math.min(a, b), Math.max(a, b)));
        }
    }

    void heal() {
        cuts.clear();
    }

    boolean isCut(long a, long b) {
        return cuts.contains(List.of(Math.min(a, b), Math.max(a, b)));
    }
}
