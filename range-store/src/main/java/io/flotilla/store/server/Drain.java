package io.flotilla.store.server;

import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;
import io.flotilla.store.range.RangeStateMachine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graceful stop's first step: hand every range this node leads to another voter, so clients
 * see a leader change instead of an election timeout. All transfers go out together; a range
 * whose transfer did not take is asked again with its next voter, until none is led here or the
 * time is up. A range with no other voter stays led here; it stops with the node.
 */
final class Drain {
    private Drain() {
    }

    /** Returns how many ranges (with another voter) were not yet led elsewhere when it gave up. */
    static int run(NodeContext ctx, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<Long, Integer> attempts = new HashMap<>();
        Set<Long> pending = new HashSet<>(ledWithOtherVoters(ctx));
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (long id : pending) {
                RangeStateMachine sm = ctx.store().range(id);
                if (sm == null || !leads(ctx, id)) {
                    continue; // stepped down already; waiting to hear of the new leader
                }
                List<io.flotilla.store.range.ReplicaDescriptor> candidates = ctx.otherVoters(sm.descriptor());
                int attempt = attempts.merge(id, 1, Integer::sum) - 1;
                ctx.store().engine().transferLeader(id, candidates.get(attempt % candidates.size()).replicaId());
            }
            long round = Math.max(1000, 3 * ctx.electionMillis()) * 1_000_000;
            // Done with a range once this node follows a leader elsewhere: stepping down alone
            // would leave it without a leader until the next election.
            Poll.until(() -> pending.stream().allMatch(id -> ledElsewhere(ctx, id)),
                    Math.min(deadline, System.nanoTime() + round), 20);
            pending.removeIf(id -> ledElsewhere(ctx, id));
            pending.addAll(ledWithOtherVoters(ctx)); // an election may have handed one back
        }
        return pending.size();
    }

    private static List<Long> ledWithOtherVoters(NodeContext ctx) {
        List<Long> out = new ArrayList<>();
        for (long id : ctx.store().rangeIds()) {
            RangeStateMachine sm = ctx.store().range(id);
            if (sm != null && leads(ctx, id) && !ctx.otherVoters(sm.descriptor()).isEmpty()) {
                out.add(id);
            }
        }
        return out;
    }

    private static boolean ledElsewhere(NodeContext ctx, long rangeId) {
        NodeEngine.GroupInfo info = ctx.store().engine().info(rangeId);
        return info == null || (info.role() != StateRole.LEADER && info.leaderNode() != 0
                && info.leaderNode() != ctx.nodeId());
    }

    private static boolean leads(NodeContext ctx, long rangeId) {
        NodeEngine.GroupInfo info = ctx.store().engine().info(rangeId);
        return info != null && info.role() == StateRole.LEADER;
    }
}
