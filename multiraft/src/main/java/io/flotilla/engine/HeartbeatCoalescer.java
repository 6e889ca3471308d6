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
 * ping, so a peer hears from us every tick even when every group is quiesced.
 */
final class HeartbeatCoalescer {
    private final long fromNode;
    private final Map<Long, Pending> byNode = new ConcurrentHashMap<>();

    private static final class Pending {
        final ConcurrentLinkedQueue<HeartbeatItem> heartbeats = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<HeartbeatItem> responses = new ConcurrentLinkedQueue<>();
    }

    HeartbeatCoalescer(long fromNode) {
        this.fromNode = fromNode;
    }

    void heartbeat(long toNode, HeartbeatItem item) {
        byNode.computeIfAbsent(toNode, n -> new Pending()).heartbeats.add(item);
    }

    void response(long toNode, HeartbeatItem item) {
        byNode.computeIfAbsent(toNode, n -> new Pending()).responses.add(item);
    }

    /** Sends one envelope to every peer (and every node with items queued), emptying the queues. */
    void flush(Set<Long> peers, MessageSender sender, EngineMetrics metrics) {
        for (long peer : peers) {
            byNode.computeIfAbsent(peer, n -> new Pending());
        }
        for (Map.Entry<Long, Pending> e : byNode.entrySet()) {
            Envelope env = new Envelope(fromNode, e.getKey(), List.of(), drain(e.getValue().heartbeats),
                    drain(e.getValue().responses));
            metrics.envelopeSent(env);
            sender.send(env);
        }
    }

    private static List<HeartbeatItem> drain(ConcurrentLinkedQueue<HeartbeatItem> q) {
        List<HeartbeatItem> out = new ArrayList<>();
        HeartbeatItem i;
        while ((i = q.poll()) != null) {
            out.add(i);
        }
        return out;
    }
}
