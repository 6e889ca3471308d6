package io.flotilla.store.server;

import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.RangeStateMachine;
import io.flotilla.store.range.ReplicaDescriptor;
import io.flotilla.transport.proto.AddReplicaRequest;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.ChangeResponse;
import io.flotilla.transport.proto.LocalRangesRequest;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.MoveReplicaRequest;
import io.flotilla.transport.proto.PrepareReplicaRequest;
import io.flotilla.transport.proto.PrepareReplicaResponse;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.RemoveReplicaRequest;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.flotilla.transport.proto.TransferLeaderRequest;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Changes to one range, carried out by its leader: split, leader transfer, adding, removing and
 * moving replicas. Any node accepts them and forwards to the leader it finds; a forwarded request
 * that finds leadership moved again gets NotLeader rather than a second hop. Every wait is
 * bounded by the request's deadline.
 */
final class RangeOperations {
    private static final long POLL_MILLIS = 20;
    private final NodeContext ctx;
    private final RangeIdAllocator ids;

    RangeOperations(NodeContext ctx, RangeIdAllocator ids) {
        this.ctx = ctx;
        this.ids = ids;
    }

    // ---------------------------------------------------------------- split

    SplitRangeResponse split(SplitRangeRequest req, AdminCall call) {
        byte[] key = req.getSplitKey().toByteArray();
        if (key.length == 0) {
            throw new RangeException.InvalidArgument("a split key must not be empty");
        }
        if (key.length > ctx.store().limits().maxKeyBytes()) {
            throw new RangeException.ResourceExhausted("split key of " + key.length + " bytes; the limit is "
                    + ctx.store().limits().maxKeyBytes());
        }
        long rangeId = req.getRangeId() != 0 ? req.getRangeId() : rangeHolding(key, call);
        Where w = leaderOf(rangeId, call);
        if (!w.local()) {
            SplitRangeRequest routed = req.toBuilder().setRangeId(rangeId).build();
            return forward(rangeId, w, call, "split", s -> s.splitRange(routed));
        }
        RangeDescriptor d = local(rangeId).descriptor();
        if (!d.contains(key)) {
            throw new RangeException.KeyNotInRange(key, d);
        }
        long newId = ids.next();
        call.await(ctx.store().split(rangeId, key, newId), "split of range " + rangeId);
        RangeStateMachine child = ctx.store().range(newId);
        SplitRangeResponse.Builder b = SplitRangeResponse.newBuilder()
                .setLeft(ProtoConvert.toProto(local(rangeId).descriptor()));
        if (child != null) {
            b.setRight(ProtoConvert.toProto(child.descriptor()));
        }
        ctx.log().info("split range {} at {}: new range {}", rangeId, printable(key), newId);
        return b.build();
    }

    // ---------------------------------------------------------------- leader transfer

    ChangeResponse transferLeader(TransferLeaderRequest req, AdminCall call) {
        long rangeId = req.getRangeId();
        long to = req.getToNodeId();
        if (rangeId == 0 || to == 0) {
            throw new RangeException.InvalidArgument("a leader transfer needs a range id and a target node id");
        }
        Where w = leaderOf(rangeId, call);
        if (!w.local()) {
            return forward(rangeId, w, call, "leader transfer", s -> s.transferLeader(req));
        }
        RangeDescriptor d = local(rangeId).descriptor();
        ReplicaDescriptor target = d.replicaOnNode(to);
        if (target == null) {
            throw new RangeException.InvalidArgument("node " + to + " holds no replica of range " + rangeId);
        }
        if (target.learner()) {
            throw new RangeException.InvalidArgument("node " + to + " holds a learner of range " + rangeId
                    + "; only a voter can lead");
        }
        if (to != ctx.nodeId() && !moveLeadership(rangeId, List.of(target), call)) {
            throw new RangeException.Timeout("leadership of range " + rangeId + " did not move to node " + to);
        }
        return change(rangeId, to);
    }

    /**
     * Asks the candidates in turn to take leadership of a range led here, each for a few election
     * timeouts; returns whether one did.
     */
    private boolean moveLeadership(long rangeId, List<ReplicaDescriptor> candidates, AdminCall call) {
        for (ReplicaDescriptor c : candidates) {
            long until = call.deadlineWithin(Math.max(1000, 5 * ctx.electionMillis()));
            long resendEvery = Math.max(200, 2 * ctx.electionMillis()) * 1_000_000;
            long nextSend = 0;
            while (System.nanoTime() < until) {
                if (System.nanoTime() >= nextSend) {
                    ctx.store().engine().transferLeader(rangeId, c.replicaId());
                    nextSend = System.nanoTime() + resendEvery;
                }
                if (Poll.until(() -> leaderNode(rangeId) == c.nodeId(), Math.min(until, nextSend), POLL_MILLIS)) {
                    return true;
                }
            }
            if (call.remainingMillis() == 0) {
                return false;
            }
        }
        return false;
    }

    private long leaderNode(long rangeId) {
        NodeEngine.GroupInfo info = ctx.store().engine().info(rangeId);
        if (info == null) {
            return 0;
        }
        return info.role() == StateRole.LEADER ? ctx.nodeId() : info.leaderNode();
    }

    // ---------------------------------------------------------------- membership

    ChangeResponse addReplica(AddReplicaRequest req, AdminCall call) {
        long rangeId = req.getRangeId();
        long node = req.getNodeId();
        if (rangeId == 0 || node == 0) {
            throw new RangeException.InvalidArgument("adding a replica needs a range id and a node id");
        }
        String address = ctx.book().get(node);
        if (address == null) {
            throw new RangeException.InvalidArgument("node " + node + " is not known to the cluster; start it with"
                    + " --join first");
        }
        Where w = leaderOf(rangeId, call);
        if (!w.local()) {
            return forward(rangeId, w, call, "adding a replica", s -> s.addReplica(req));
        }
        RangeDescriptor d = local(rangeId).descriptor();
        ReplicaDescriptor existing = d.replicaOnNode(node);
        if (req.getPromoteOnly() && existing == null) {
            throw new RangeException.FailedPrecondition("node " + node + " holds no learner of range " + rangeId
                    + " to promote");
        }
        if (existing != null && (!existing.learner() || req.getLearner())) {
            return change(rangeId, ctx.nodeId()); // already there as asked
        }
        long replicaId;
        if (existing == null) {
            replicaId = ReplicaIds.forNewReplica(d, node);
            prepare(rangeId, replicaId, node, address, d, call);
            long index = call.await(ctx.store().addReplica(rangeId, node, replicaId, true),
                    "adding a learner of range " + rangeId + " on node " + node);
            ctx.log().info("range {}: learner {} added on node {}", rangeId, replicaId, node);
            awaitCaughtUp(rangeId, node, address, Math.max(index, appliedHere(rangeId)), call);
        } else {
            replicaId = existing.replicaId();
            awaitCaughtUp(rangeId, node, address, appliedHere(rangeId), call);
        }
        if (!req.getLearner()) {
            call.await(ctx.store().addReplica(rangeId, node, replicaId, false),
                    "promoting the learner of range " + rangeId + " on node " + node);
            ctx.log().info("range {}: replica {} on node {} promoted to voter", rangeId, replicaId, node);
        }
        return change(rangeId, ctx.nodeId());
    }

    /** Creates the empty replica on its node, with every member it will have. */
    private void prepare(long rangeId, long replicaId, long node, String address, RangeDescriptor d, AdminCall call) {
        PrepareReplicaRequest.Builder p = PrepareReplicaRequest.newBuilder().setRangeId(rangeId).setReplicaId(replicaId);
        for (ReplicaDescriptor r : d.replicas()) {
            p.addMembers(ProtoConvert.toProto(r));
        }
        p.addMembers(ProtoConvert.toProto(new ReplicaDescriptor(node, replicaId, true)));
        PrepareReplicaResponse r;
        try {
            r = ctx.peers().admin(address).withDeadlineAfter(Math.max(1, call.remainingMillis()), TimeUnit.MILLISECONDS)
                    .prepareReplica(p.build());
        } catch (StatusRuntimeException e) {
            throw AdminCall.peerFailure(node, "preparing a replica of range " + rangeId, e);
        }
        if (r.hasError()) {
            throw new RangeException.InvalidArgument("node " + node + " refused a replica of range " + rangeId + ": "
                    + r.getError().getMessage());
        }
    }

    private long appliedHere(long rangeId) {
        NodeEngine.GroupInfo info = ctx.store().engine().info(rangeId);
        return info == null ? 0 : Math.max(info.applied(), info.commit());
    }

    /** Waits until the replica on {@code node} has applied {@code index} (its snapshot brought it there). */
    private void awaitCaughtUp(long rangeId, long node, String address, long index, AdminCall call) {
        AdminGrpc.AdminBlockingStub stub = ctx.peers().admin(address);
        boolean caughtUp = Poll.until(() -> {
            try {
                LocalRangesResponse r = stub.withDeadlineAfter(Math.max(1, Math.min(1000, call.remainingMillis())),
                        TimeUnit.MILLISECONDS).localRanges(LocalRangesRequest.getDefaultInstance());
                for (RangeStatus s : r.getRangesList()) {
                    if (s.getRange().getRangeId() == rangeId && s.getRange().getVersion() > 0
                            && s.getAppliedIndex() >= index) {
                        return true;
                    }
                }
                return false;
            } catch (StatusRuntimeException e) {
                return false;
            }
        }, call.deadlineNanos(), 50);
        if (!caughtUp) {
            throw new RangeException.Timeout("the new replica of range " + rangeId + " on node " + node
                    + " did not catch up to index " + index + "; it stays a learner");
        }
    }

    ChangeResponse removeReplica(RemoveReplicaRequest req, AdminCall call) {
        long rangeId = req.getRangeId();
        long node = req.getNodeId();
        if (rangeId == 0 || node == 0) {
            throw new RangeException.InvalidArgument("removing a replica needs a range id and a node id");
        }
        Where w = leaderOf(rangeId, call);
        if (!w.local()) {
            return forward(rangeId, w, call, "removing a replica", s -> s.removeReplica(req));
        }
        RangeDescriptor d = local(rangeId).descriptor();
        ReplicaDescriptor r = d.replicaOnNode(node);
        if (r == null) {
            return change(rangeId, ctx.nodeId()); // not a member: nothing to do
        }
        if (node == ctx.nodeId()) {
            // The leader is leaving: hand leadership to another voter, which then removes us.
            List<ReplicaDescriptor> others = ctx.otherVoters(d);
            if (others.isEmpty()) {
                throw new RangeException.InvalidArgument("node " + node + " holds the only voter of range " + rangeId);
            }
            if (!moveLeadership(rangeId, others, call)) {
                throw new RangeException.Timeout("could not hand leadership of range " + rangeId
                        + " away before removing its replica on node " + node);
            }
            return forward(rangeId, new Where(false, leaderNode(rangeId)), AdminCall.within(call.remainingMillis(), false),
                    "removing a replica", s -> s.removeReplica(req));
        }
        call.await(ctx.store().removeReplica(rangeId, r.replicaId()),
                "removing the replica of range " + rangeId + " on node " + node);
        ctx.log().info("range {}: replica {} on node {} removed", rangeId, r.replicaId(), node);
        return change(rangeId, ctx.nodeId());
    }

    ChangeResponse moveReplica(MoveReplicaRequest req, AdminCall call) {
        long rangeId = req.getRangeId();
        long from = req.getFromNodeId();
        long to = req.getToNodeId();
        if (rangeId == 0 || from == 0 || to == 0 || from == to) {
            throw new RangeException.InvalidArgument("moving a replica needs a range id and two different node ids");
        }
        Where w = leaderOf(rangeId, call);
        if (!w.local()) {
            return forward(rangeId, w, call, "moving a replica", s -> s.moveReplica(req));
        }
        RangeDescriptor d = local(rangeId).descriptor();
        ReplicaDescriptor source = d.replicaOnNode(from);
        if (source == null) {
            if (d.replicaOnNode(to) != null) {
                return change(rangeId, ctx.nodeId()); // moved already
            }
            throw new RangeException.InvalidArgument("node " + from + " holds no replica of range " + rangeId);
        }
        addReplica(AddReplicaRequest.newBuilder().setRangeId(rangeId).setNodeId(to).setLearner(source.learner()).build(),
                call);
        return removeReplica(RemoveReplicaRequest.newBuilder().setRangeId(rangeId).setNodeId(from).build(), call);
    }

    // ---------------------------------------------------------------- finding ranges and leaders

    /** Where a range's leader is: here, or on another node. */
    record Where(boolean local, long nodeId) {
    }

    /** The range here, which the caller just found this node leads. */
    private RangeStateMachine local(long rangeId) {
        RangeStateMachine sm = ctx.store().range(rangeId);
        if (sm == null) {
            throw new RangeException.RangeNotFound(rangeId);
        }
        return sm;
    }

    /** The range holding {@code key}: here if this node holds it, else as the cluster reports it. */
    private long rangeHolding(byte[] key, AdminCall call) {
        try {
            return ctx.store().rangeFor(key).descriptor().rangeId();
        } catch (RangeException.KeyNotInRange notHere) {
            for (RangeStatus s : survey(call)) {
                if (ProtoConvert.fromProto(s.getRange()).contains(key)) {
                    return s.getRange().getRangeId();
                }
            }
            throw new RangeException.KeyNotInRange(key, new RangeDescriptor(0, new byte[0], new byte[0], List.of(), 0, 0));
        }
    }

    /**
     * Finds the range's leader: this node's own view first (waiting up to an election or so for
     * one to be elected), else the cluster's.
     */
    private Where leaderOf(long rangeId, AdminCall call) {
        RangeStateMachine sm = ctx.store().range(rangeId);
        if (sm != null && sm.descriptor().version() > 0) {
            Poll.until(() -> leaderNode(rangeId) != 0, call.deadlineWithin(Math.max(500, 3 * ctx.electionMillis())),
                    POLL_MILLIS);
            long leader = leaderNode(rangeId);
            if (leader != 0) {
                return new Where(leader == ctx.nodeId(), leader);
            }
        }
        for (RangeStatus s : survey(call)) {
            if (s.getRange().getRangeId() == rangeId) {
                if (s.getLeaderNodeId() == 0) {
                    throw new RangeException.NotLeader(rangeId, 0);
                }
                if (s.getLeaderNodeId() == ctx.nodeId()) {
                    // Reported by our own engine a moment ago; if it changed since, say so.
                    throw new RangeException.NotLeader(rangeId, leaderNode(rangeId));
                }
                return new Where(false, s.getLeaderNodeId());
            }
        }
        throw new RangeException.RangeNotFound(rangeId);
    }

    private List<RangeStatus> survey(AdminCall call) {
        long ms = Math.max(1, Math.min(2000, call.remainingMillis()));
        return RangeTable.merge(call.await(ctx.survey().take(Duration.ofMillis(ms)), "surveying the cluster").reports());
    }

    private <T> T forward(long rangeId, Where w, AdminCall call, String what,
                          Function<AdminGrpc.AdminBlockingStub, T> send) {
        if (call.forwarded()) {
            throw new RangeException.NotLeader(rangeId, w.nodeId());
        }
        String address = ctx.book().get(w.nodeId());
        if (address == null) {
            throw new RangeException.NotLeader(rangeId, w.nodeId());
        }
        call.checkTime(what + " of range " + rangeId);
        try {
            return send.apply(Forwarding.mark(ctx.peers().admin(address))
                    .withDeadlineAfter(Math.max(1, call.remainingMillis()), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw AdminCall.peerFailure(w.nodeId(), what + " of range " + rangeId, e);
        }
    }

    private ChangeResponse change(long rangeId, long leader) {
        RangeStateMachine sm = ctx.store().range(rangeId);
        ChangeResponse.Builder b = ChangeResponse.newBuilder().setLeaderNodeId(leader);
        if (sm != null) {
            b.setRange(ProtoConvert.toProto(sm.descriptor()));
        }
        return b.build();
    }

    private static String printable(byte[] key) {
        StringBuilder s = new StringBuilder();
        for (byte x : key) {
            s.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.toString();
    }
}
