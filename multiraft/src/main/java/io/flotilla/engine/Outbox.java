package io.flotilla.engine;

import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects one cycle's outgoing Raft messages per destination node and sends them as one
 * envelope each. Heartbeats are diverted to the {@link HeartbeatCoalescer}, which sends them
 * once per tick.
 */
final class Outbox {
    private final long fromNode;
    private final HeartbeatCoalescer heartbeats;
    private final Map<Long, List<GroupMessage>> byNode = new TreeMap<>();
    /** This cycle's heartbeats and responses per node, handed to the coalescer in one batch each. */
    private final Map<Long, List<HeartbeatItem>> beats = new TreeMap<>();
    private final Map<Long, List<HeartbeatItem>> answers = new TreeMap<>();
    private final boolean coalesce;
    /** Without coalescing: every message in its own envelope, in order. */
    private final List<Envelope> single = new ArrayList<>();

    Outbox(long fromNode, HeartbeatCoalescer heartbeats, boolean coalesce) {
        this.fromNode = fromNode;
        this.heartbeats = heartbeats;
        this.coalesce = coalesce;
    }

    /**
     * Queues a message. Plain heartbeats and responses go to the per-tick coalesced stream;
     * those carrying a ReadIndex context go at once, since a read waits on them.
     */
    void add(long toNode, long groupId, Message m) {
        if (!coalesce) {
            single.add(new Envelope(fromNode, toNode, List.of(new GroupMessage(groupId, m)), List.of(), List.of()));
            return;
        }
        if (m.context().length == 0 && m.type() == MessageType.HEARTBEAT) {
            beats.computeIfAbsent(toNode, n -> new ArrayList<>(256))
                    .add(new HeartbeatItem(groupId, m.from(), m.to(), m.term(), m.commit(), false));
        } else if (m.context().length == 0 && m.type() == MessageType.HEARTBEAT_RESPONSE) {
            answers.computeIfAbsent(toNode, n -> new ArrayList<>(256))
                    .add(new HeartbeatItem(groupId, m.from(), m.to(), m.term(), 0, false));
        } else {
            byNode.computeIfAbsent(toNode, n -> new ArrayList<>()).add(new GroupMessage(groupId, m));
        }
    }

    boolean isEmpty() {
        return byNode.isEmpty() && single.isEmpty() && beats.isEmpty() && answers.isEmpty();
    }

    /**
     * Sends one envelope per destination and empties the outbox; heartbeats and responses go
     * to the coalescer, which sends them at the next tick. Returns envelopes sent.
     */
    int flush(MessageSender sender, EngineMetrics metrics) {
        beats.forEach(heartbeats::heartbeats);
        beats.clear();
        answers.forEach(heartbeats::responses);
        answers.clear();
        int n = 0;
        for (Envelope env : single) {
            metrics.envelopeSent(env);
            sender.send(env);
            n++;
        }
        single.clear();
        for (Map.Entry<Long, List<GroupMessage>> e : byNode.entrySet()) {
            Envelope env = new Envelope(fromNode, e.getKey(), e.getValue(), List.of(), List.of());
            metrics.envelopeSent(env);
            sender.send(env);
            n++;
        }
        byNode.clear();
        return n;
    }
}
