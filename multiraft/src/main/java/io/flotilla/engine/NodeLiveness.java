package io.flotilla.engine;

import io.flotilla.raft.quorum.JointConfig;
import io.flotilla.raft.quorum.VoteLookup;
import io.flotilla.raft.quorum.VoteResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which peer nodes are alive, judged by when we last received anything from them. Every
 * envelope counts, and the engine pings each peer every tick it has sent nothing, so a
 * quiesced cluster still learns within {@code timeoutTicks} that a node died.
 */
final class NodeLiveness {
    private final long self;
    private final int timeoutTicks;
    private final Map<Long, Long> lastHeard = new HashMap<>();
    private final Set<Long> dead = new HashSet<>();

    /** What changed at a tick. */
    record Changes(List<Long> died, List<Long> returned) {
        boolean isEmpty() {
            return died.isEmpty() && returned.isEmpty();
        }
    }

    NodeLiveness(long self, int timeoutTicks) {
        this.self = self;
        this.timeoutTicks = timeoutTicks;
    }

    synchronized void addPeer(long node, long now) {
        lastHeard.putIfAbsent(node, now);
    }

    synchronized Set<Long> peers() {
        return new HashSet<>(lastHeard.keySet());
    }

    /** Records a sign of life; returns true if the node had been declared dead. */
    synchronized boolean heard(long node, long now) {
        lastHeard.put(node, now);
        return dead.remove(node);
    }

    synchronized Changes onTick(long now) {
        List<Long> died = new ArrayList<>();
        for (Map.Entry<Long, Long> e : lastHeard.entrySet()) {
            if (!dead.contains(e.getKey()) && now - e.getValue() > timeoutTicks) {
                dead.add(e.getKey());
                died.add(e.getKey());
            }
        }
        return new Changes(died, List.of());
    }

    synchronized boolean isDead(long node) {
        return dead.contains(node);
    }

    /** Whether {@code node} is this node or a known node not declared dead (0, no node, is not live). */
    boolean isLive(long node) {
        return node == self || (node != 0 && !isDead(node));
    }

    /** Whether the voters on live nodes (this one included) make a quorum; true when the voters are unknown. */
    boolean quorumLive(JointConfig voters, RouteTable routes) {
        if (voters == null) {
            return true;
        }
        return voters.voteResult(v -> isLive(routes.nodeOf(v)) ? VoteLookup.GRANTED : VoteLookup.REJECTED)
                == VoteResult.WON;
    }
}
