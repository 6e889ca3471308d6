package io.flotilla.engine.simulation;

import io.flotilla.engine.NodeEngine.GroupInfo;
import io.flotilla.raft.StateRole;

import java.util.HashMap;
import java.util.Map;

/**
 * Election Safety (Raft paper §5.2, Figure 3): in every group at most one replica is leader in
 * any term, over the whole history, restarts included.
 */
final class LeaderPerTermCheck {
    /** group -> term -> the replica seen leading that term. */
    private final Map<Long, Map<Long, Long>> leaders = new HashMap<>();
    private long leaderships;

    void observe(GroupInfo info) {
        if (info.role() != StateRole.LEADER) {
            return;
        }
        Long before = leaders.computeIfAbsent(info.groupId(), g -> new HashMap<>())
                .putIfAbsent(info.term(), info.replicaId());
        if (before == null) {
            leaderships++;
        } else if (before != info.replicaId()) {
            throw new InvariantViolation("two leaders in group " + info.groupId() + " term " + info.term()
                    + ": replica " + before + " and replica " + info.replicaId() + " (§5.2 Election Safety)");
        }
    }

    /** Distinct (group, term) leaderships seen: the elections won. */
    long leaderships() {
        return leaderships;
    }
}
