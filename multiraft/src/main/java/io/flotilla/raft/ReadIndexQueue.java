package io.flotilla.raft;

import io.flotilla.raft.message.Message;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A leader's ReadIndex requests waiting for a heartbeat round to confirm leadership (Raft
 * thesis §6.4). Requests queue in arrival order; one heartbeat round carries the newest
 * request's context, and its confirmation releases every request queued before it, so a whole
 * batch of reads costs one round.
 */
final class ReadIndexQueue {
    /** A pending read: the request, the commit index when it arrived, and who confirmed it. */
    record Pending(Message request, long index, Set<Long> acks) {
    }

    private final Map<ByteBuffer, Pending> pending = new HashMap<>();
    private final ArrayDeque<ByteBuffer> order = new ArrayDeque<>();

    void add(long index, Message request) {
        ByteBuffer key = ByteBuffer.wrap(request.context());
        if (pending.containsKey(key)) {
            return;
        }
        pending.put(key, new Pending(request, index, new HashSet<>()));
        order.addLast(key);
    }

    /** Records a confirmation of the round carrying {@code context}; null if unknown. */
    Set<Long> ack(long from, byte[] context) {
        Pending p = pending.get(ByteBuffer.wrap(context));
        if (p == null) {
            return null;
        }
        p.acks.add(from);
        return p.acks;
    }

    /** Releases every request up to and including the one with {@code context}, oldest first. */
    List<Pending> releaseThrough(byte[] context) {
        ByteBuffer key = ByteBuffer.wrap(context);
        if (!pending.containsKey(key)) {
            return List.of();
        }
        List<Pending> out = new ArrayList<>();
        while (!order.isEmpty()) {
            ByteBuffer k = order.pollFirst();
            out.add(pending.remove(k));
            if (k.equals(key)) {
                break;
            }
        }
        return out;
    }

    /** The context of the newest pending request, or null when none waits. */
    byte[] lastContext() {
        ByteBuffer k = order.peekLast();
        return k == null ? null : k.array();
    }

    int size() {
        return order.size();
    }
}
