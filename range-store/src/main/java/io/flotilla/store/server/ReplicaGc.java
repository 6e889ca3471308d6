package io.flotilla.store.server;

import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeStateMachine;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.RangeStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds replicas here that their range removed without this node hearing of it, and destroys
 * them (CockroachDB's replica GC queue, in small). A removed replica usually learns of its
 * removal by applying it, but the leader stops talking to it once the change commits, so a
 * message lost at that moment leaves it behind: campaigning, holding data. A replica is
 * removed if another node reports the range at a newer epoch without it. A replica still
 * waiting for its first snapshot is left alone for a grace period, since its range adds it
 * only after preparing it.
 */
final class ReplicaGc {
    private final NodeContext ctx;
    private final Membership membership;
    private final Duration grace;

    ReplicaGc(NodeContext ctx, Membership membership, Duration grace) {
        this.ctx = ctx;
        this.membership = membership;
        this.grace = grace;
    }

    /** One pass; returns the ids of the replicas destroyed. */
    List<Long> sweep(Duration surveyTimeout) throws Exception {
        List<Long> candidates = new ArrayList<>();
        for (long id : ctx.store().rangeIds()) {
            NodeEngine.GroupInfo info = ctx.store().engine().info(id);
            if (info != null && info.role() != StateRole.LEADER) {
                candidates.add(id);
            }
        }
        List<Long> destroyed = new ArrayList<>();
        if (candidates.isEmpty()) {
            return destroyed;
        }
        Map<Long, RangeDescriptor> newest = new HashMap<>();
        for (ClusterSurvey.NodeReport r : ctx.survey().take(surveyTimeout).get().reports()) {
            LocalRangesResponse resp = r.response();
            if (resp == null || r.nodeId() == ctx.nodeId()) {
                continue;
            }
            for (RangeStatus s : resp.getRangesList()) {
                RangeDescriptor d = ProtoConvert.fromProto(s.getRange());
                if (d.version() > 0) {
                    newest.merge(d.rangeId(), d, (a, b) -> newer(b, a) ? b : a);
                }
            }
        }
        long now = ctx.clock().getAsLong();
        for (long id : candidates) {
            RangeStateMachine sm = ctx.store().range(id);
            NodeEngine.GroupInfo info = ctx.store().engine().info(id);
            RangeDescriptor elsewhere = newest.get(id);
            if (sm == null || info == null || elsewhere == null || elsewhere.replica(info.replicaId()) != null) {
                continue;
            }
            RangeDescriptor here = sm.descriptor();
            boolean removed = here.version() == 0
                    ? membership.preparedAt(id) < 0 || now - membership.preparedAt(id) > grace.toMillis()
                    : newer(elsewhere, here);
            if (removed && ctx.store().destroyReplica(id)) {
                membership.forget(id);
                destroyed.add(id);
                ctx.log().info("range {}: destroyed replica {}, which the range removed ({} elsewhere)", id,
                        info.replicaId(), elsewhere);
            }
        }
        return destroyed;
    }

    private static boolean newer(RangeDescriptor a, RangeDescriptor b) {
        return a.version() != b.version() ? a.version() > b.version() : a.confVersion() > b.confVersion();
    }
}
