package io.flotilla.store.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node last heard from each peer: any Raft envelope it received, or any answer to a
 * call it made. ListNodes reports it, and a graceful stop prefers peers heard from recently.
 */
public final class PeerLiveness {
    private final Map<Long, Long> lastHeard = new ConcurrentHashMap<>();

    public void heard(long nodeId, long nowMillis) {
        lastHeard.merge(nodeId, nowMillis, Math::max);
    }

    /** Milliseconds since the peer was last heard from, or -1 if never. */
    public long silenceMillis(long nodeId, long nowMillis) {
        Long t = lastHeard.get(nodeId);
        return t == null ? -1 : Math.max(0, nowMillis - t);
    }
}
