package io.flotilla.engine;

import java.util.List;

/**
 * Everything one node sends another in one cycle: Raft messages of any group, plus coalesced
 * heartbeats and heartbeat responses. An envelope with nothing in it still proves the sender
 * is alive (node liveness).
 */
public record Envelope(long fromNode, long toNode, List<GroupMessage> messages, List<HeartbeatItem> heartbeats,
                       List<HeartbeatItem> heartbeatResponses) {

    public Envelope {
        messages = List.copyOf(messages);
        heartbeats = List.copyOf(heartbeats);
        heartbeatResponses = List.copyOf(heartbeatResponses);
    }

    public boolean isEmpty() {
        return messages.isEmpty() && heartbeats.isEmpty() && heartbeatResponses.isEmpty();
    }

    /** Items carried: messages plus heartbeat items. */
    public int size() {
        return messages.size() + heartbeats.size() + heartbeatResponses.size();
    }

    /** An approximation of the encoded size, for counters: entries dominate. */
    public long approximateBytes() {
        long bytes = 16;
        for (GroupMessage m : messages) {
            bytes += 64 + m.message().entriesSize();
        }
        bytes += 41L * (heartbeats.size() + heartbeatResponses.size());
        return bytes;
    }
}
