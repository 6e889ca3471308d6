package io.flotilla.store.server;

import io.flotilla.engine.NodeEngine;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.RangeStateMachine;
import io.flotilla.transport.proto.JoinRequest;
import io.flotilla.transport.proto.JoinResponse;
import io.flotilla.transport.proto.NodeAddress;
import io.flotilla.transport.proto.PrepareReplicaRequest;
import io.flotilla.transport.proto.Replica;
import io.flotilla.transport.raft.AddressBook;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Node-to-node membership: a new node joining through this one (it learns the cluster id and
 * every address; the others learn its address from us), and empty replicas prepared here
 * before a range's leader adds them.
 */
final class Membership {
    private final NodeContext ctx;
    private final Executor background;
    /** When each replica still waiting for its first snapshot was prepared (see {@link ReplicaGc}). */
    private final Map<Long, Long> preparedAt = new ConcurrentHashMap<>();

    Membership(NodeContext ctx, Executor background) {
        this.ctx = ctx;
        this.background = background;
    }

    JoinResponse join(JoinRequest req, boolean forwarded) {
        if (req.getClusterId() != 0 && req.getClusterId() != ctx.clusterId()) {
            throw new RangeException.InvalidArgument("node " + req.getNode().getNodeId() + " belongs to cluster "
                    + Long.toUnsignedString(req.getClusterId()) + ", this is cluster "
                    + Long.toUnsignedString(ctx.clusterId()));
        }
        NodeAddress n = req.getNode();
        try {
            AddressBook.validate(n.getNodeId(), n.getAddress());
        } catch (IllegalArgumentException e) {
            throw new RangeException.InvalidArgument(e.getMessage());
        }
        if (n.getNodeId() == ctx.nodeId()) {
            throw new RangeException.InvalidArgument("node id " + n.getNodeId() + " is taken by the node at "
                    + ctx.book().get(ctx.nodeId()));
        }
        String known = ctx.book().get(n.getNodeId());
        if (known != null && !known.equals(n.getAddress()) && answersAs(known, n.getNodeId())) {
            throw new RangeException.InvalidArgument("node id " + n.getNodeId() + " is taken by the live node at "
                    + known);
        }
        // A node's own word about its address: it may have moved since (the transport's Hello
        // says the same thing on every stream it opens).
        boolean changed = ctx.book().put(n.getNodeId(), n.getAddress());
        if (changed) {
            ctx.log().info("node {} at {} joined", n.getNodeId(), n.getAddress());
            if (!forwarded) {
                tellOthers(req.toBuilder().setClusterId(ctx.clusterId()).build(), n.getNodeId());
            }
        }
        return JoinResponse.newBuilder().setClusterId(ctx.clusterId()).addAllNodes(ctx.book().toNodeAddresses()).build();
    }

    /** Whether the node at {@code address} answers, as node {@code nodeId}: then it has not moved. */
    private boolean answersAs(String address, long nodeId) {
        try {
            return ctx.peers().admin(address).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .localRanges(io.flotilla.transport.proto.LocalRangesRequest.getDefaultInstance()).getNodeId() == nodeId;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Passes a join on to every other member, once (their copies are marked forwarded). */
    private void tellOthers(JoinRequest req, long joined) {
        background.execute(() -> {
            ctx.book().all().forEach((id, address) -> {
                if (id != ctx.nodeId() && id != joined) {
                    try {
                        Forwarding.mark(ctx.peers().admin(address)).withDeadlineAfter(2, TimeUnit.SECONDS).join(req);
                    } catch (RuntimeException e) {
                        ctx.log().debug("could not tell node {} that node {} joined: {}", id, joined, e.getMessage());
                    }
                }
            });
        });
    }

    /**
     * Creates an empty replica here that a range's leader is about to add. Asking again for the
     * same replica is fine; a replica here of an earlier membership (not among the members now)
     * is destroyed first, since its range removed it.
     */
    void prepareReplica(PrepareReplicaRequest req) {
        long rangeId = req.getRangeId();
        long replicaId = req.getReplicaId();
        if (rangeId <= 0 || replicaId <= 0) {
            throw new RangeException.InvalidArgument("preparing a replica needs a range id and a replica id");
        }
        Map<Long, Long> routes = new TreeMap<>();
        for (Replica m : req.getMembersList()) {
            if (m.getReplicaId() <= 0 || m.getNodeId() <= 0) {
                throw new RangeException.InvalidArgument("member " + m + " has no replica or node id");
            }
            routes.put(m.getReplicaId(), m.getNodeId());
        }
        Long home = routes.get(replicaId);
        if (home == null || home != ctx.nodeId()) {
            throw new RangeException.InvalidArgument("the members do not place replica " + replicaId + " on node "
                    + ctx.nodeId());
        }
        RangeStateMachine existing = ctx.store().range(rangeId);
        if (existing != null) {
            NodeEngine.GroupInfo info = ctx.store().engine().info(rangeId);
            long mine = info == null ? 0 : info.replicaId();
            if (mine == replicaId) {
                return;
            }
            if (routes.containsKey(mine)) {
                throw new RangeException.InvalidArgument("node " + ctx.nodeId() + " already holds replica " + mine
                        + " of range " + rangeId + ", a member");
            }
            ctx.log().info("range {}: destroying replica {} left from an earlier membership", rangeId, mine);
            ctx.store().destroyReplica(rangeId);
        }
        ctx.store().prepareReplica(rangeId, replicaId, routes);
        preparedAt.put(rangeId, ctx.clock().getAsLong());
        ctx.log().info("range {}: prepared replica {} here", rangeId, replicaId);
    }

    /** When the replica of {@code rangeId} was prepared here, or -1 if it was not (or long ago, before a restart). */
    long preparedAt(long rangeId) {
        return preparedAt.getOrDefault(rangeId, -1L);
    }

    void forget(long rangeId) {
        preparedAt.remove(rangeId);
    }
}
