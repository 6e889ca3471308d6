package io.flotilla.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Gathers every group's heartbeats and heartbeat responses per destination node across all of
 * a tick's cycles, and sends them as ONE envelope per peer per tick, however many groups
 * there are (CockroachDB's coalesced heartbeats). The same envelope is the node's liveness
 * ping, so a peer hears from us every tick even when every group is quiesced. A cycle hands
 * over its items for one peer as one batch, so the cost per item is an array slot.
 */
final class HeartbeatCoalescer {
    private final long fromNode;
    private final Map<Long, Pending> byNode = new ConcurrentHashMap<>();

    private static final class Pending {
        final ConcurrentLinkedQueue<List<HeartbeatItem>> heartbeats = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<List<HeartbeatItem>> responses = new ConcurrentLinkedQueue<>();
    }

    HeartbeatCoalescer(long fromNode) {
        this.fromNode = fromNode;
    }

    void heartbeat(long toNode, HeartbeatItem item) {
        heartbeats(toNode, List.of(item));
    }

    void heartbeats(long toNode, List<HeartbeatItem> items) {
        if (!items.isEmpty()) {
            pending(toNode).heartbeats.add(items);
        }
    }

    void responses(long toNode, List<HeartbeatItem> items) {
        if (!items.isEmpty()) {
            pending(toNode).responses.add(items);
        }
    }

    private Pending pending(long toNode) {
        Pending p = byNode.get(toNode);
        return p != null ? p : byNode.computeIfAbsent(toNode, n -> new Pending());
    }

    /** Sends one envelope to every peer (and every node with items queued), emptying the queues. */
    void flush(Set<Long> peers, MessageSender sender, EngineMetrics metrics) {
        for (long peer : peers) {
            pending(peer);
        }
        for (Map.Entry<Long, Pending> e : byNode.entrySet()) {
            Envelope env = new Envelope(fromNode, e.getKey(), List.of(), drain(e.getValue().heartbeats),
                    drain(e.getValue().responses));
            metrics.envelopeSent(env);
            sender.send(env);
        }
    }

    private static List<HeartbeatItem> drain(ConcurrentLinkedQueue<List<HeartbeatItem>> q) {
        List<HeartbeatItem> first = q.poll();
        if (first == null) {
            return List.of();
        }
        List<HeartbeatItem> next = q.poll();
        if (next == null) {
            return first;
        }
        List<HeartbeatItem> out = new ArrayList<>(first.size() + next.size() + 64);
        out.addAll(first);
        out.addAll(next);
        List<HeartbeatItem> more;
        while ((more = q.poll()) != null) {
            out.addAll(more);
        }
        return out;
    }
}
