package io.flotilla.engine.simulation;

import io.flotilla.engine.NodeEngine.GroupInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * Terms and commit indexes only move forward (Raft paper §5.1, Figure 2).
 *
 * <ul>
 *   <li>A replica's term never decreases, across restarts too: a term change is synced before
 *       anything is sent that depends on it, so a restart comes back with at least the term it
 *       had.</li>
 *   <li>A replica's commit index never decreases while its node stays up (a pause is "up": it
 *       loses nothing).</li>
 *   <li>A crash may lose the commit index, which is written without a sync: after a restart it
 *       may drop, but only to what was durable at the crash, {@code d}. Precisely: when node n
 *       is killed, {@code d} is the commit in its store's durable hard state for the group, and
 *       {@code d <= c} for the last commit {@code c} observed there; the first observation after
 *       the restart must show a commit {@code >= d}; from then on it never decreases again.</li>
 *   <li>And always {@code applied <= commit}.</li>
 * </ul>
 */
final class ReplicaProgressCheck {
    private static final long NO_FLOOR = -1;

    private static final class Seen {
        long term;
        long commit;
        /** Set at a crash: the durable commit the next observation must reach. */
        long restartFloor = NO_FLOOR;
    }

    private final Map<Long, Seen> seen = new HashMap<>();

    void observe(long node, GroupInfo info) {
        Seen s = seen.computeIfAbsent(key(info.groupId(), node), k -> new Seen());
        String who = "group " + info.groupId() + " on node " + node;
        if (info.term() < s.term) {
            throw new InvariantViolation("term went back on " + who + ": " + s.term + " -> " + info.term());
        }
        if (s.restartFloor != NO_FLOOR) {
            if (info.commit() < s.restartFloor) {
                throw new InvariantViolation("commit after restart on " + who + " is " + info.commit()
                        + ", below the durable commit " + s.restartFloor);
            }
            s.restartFloor = NO_FLOOR;
        } else if (info.commit() < s.commit) {
            throw new InvariantViolation("commit went back while up on " + who + ": " + s.commit + " -> "
                    + info.commit());
        }
        if (info.applied() > info.commit()) {
            throw new InvariantViolation("applied " + info.applied() + " beyond commit " + info.commit() + " on " + who);
        }
        s.term = info.term();
        s.commit = info.commit();
    }

    /**
     * Node {@code node} crashed; its store kept {@code durableCommit} for the group.
     * {@code betweenEvents}: it was killed right after an observation, so nothing durable can
     * be newer than what that observation showed; a crash inside a tick may follow syncs the
     * checker never saw.
     */
    void crashed(long group, long node, long durableCommit, boolean betweenEvents) {
        Seen s = seen.computeIfAbsent(key(group, node), k -> new Seen());
        if (betweenEvents && durableCommit > s.commit) {
            throw new InvariantViolation("group " + group + " on node " + node + " made commit " + durableCommit
                    + " durable but only ever showed " + s.commit);
        }
        s.restartFloor = durableCommit;
    }

    private static long key(long group, long node) {
        // Node ids are small; groups get the upper bits.
        return group << 16 | node;
    }
}
