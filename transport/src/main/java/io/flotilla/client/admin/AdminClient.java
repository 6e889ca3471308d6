package io.flotilla.client.admin;

import com.google.protobuf.ByteString;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.net.ChannelPool;
import io.flotilla.client.net.NodeHealth;
import io.flotilla.client.retry.RetryPolicy;
import io.flotilla.client.routing.NodeDirectory;
import io.flotilla.transport.proto.AddReplicaRequest;
import io.flotilla.transport.proto.ChangeResponse;
import io.flotilla.transport.proto.ClusterHealthRequest;
import io.flotilla.transport.proto.ClusterHealthResponse;
import io.flotilla.transport.proto.ListNodesRequest;
import io.flotilla.transport.proto.ListNodesResponse;
import io.flotilla.transport.proto.ListRangesRequest;
import io.flotilla.transport.proto.ListRangesResponse;
import io.flotilla.transport.proto.MoveReplicaRequest;
import io.flotilla.transport.proto.NodeStatus;
import io.flotilla.transport.proto.RemoveReplicaRequest;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.flotilla.transport.proto.TransferLeaderRequest;
import io.flotilla.transport.proto.CancelOperatorRequest;
import io.flotilla.transport.proto.DecommissionRequest;
import io.flotilla.transport.proto.ListOperatorsRequest;
import io.flotilla.transport.proto.ListOperatorsResponse;
import io.flotilla.transport.proto.RebalanceRequest;
import io.flotilla.transport.proto.SetPlacementPausedRequest;
import io.flotilla.transport.proto.SetLeaderPreferenceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Operating the cluster. Calls block and throw the typed {@link FlotillaException}s: they are
 * made one at a time by operators and tools, where a plain return value reads best. Any node
 * serves them (it forwards to the range's leader), so each call goes to a known node and moves
 * to another when that one cannot be reached. Results are plain records, easy to print as
 * tables or JSON.
 */
public final class AdminClient {
    /** Ranges per page when following the whole listing. */
    public static final int DEFAULT_PAGE_SIZE = 500;
    /** A listing longer than this many pages is taken for a server that never ends it. */
    private static final int MAX_PAGES = 1_000_000;

    private final AnyNodeCaller caller;
    private final NodeDirectory nodes;

    public AdminClient(ChannelPool channels, NodeDirectory nodes, NodeHealth health, RetryPolicy policy,
            LongSupplier nanoClock) {
        this.caller = new AnyNodeCaller(channels, nodes, health, policy, nanoClock);
        this.nodes = nodes;
    }

    /** Splits the range holding {@code splitKey} at that key, which must lie strictly inside it. */
    public SplitResult split(byte[] splitKey) {
        ByteString key = bytes("split key", splitKey);
        SplitRangeResponse response = caller.call("SplitRange", false,
                stub -> stub.splitRange(SplitRangeRequest.newBuilder().setSplitKey(key).build()),
                r -> r.hasError() ? r.getError() : null);
        return SplitResult.from(response);
    }

    public RangeChange transferLeader(long rangeId, long toNodeId) {
        TransferLeaderRequest request = TransferLeaderRequest.newBuilder()
                .setRangeId(id("range id", rangeId)).setToNodeId(id("target node id", toNodeId)).build();
        return change("TransferLeader", caller.call("TransferLeader", false, stub -> stub.transferLeader(request),
                AdminClient::errorOf));
    }

    /** Adds a replica on {@code nodeId}; unless {@code learner}, it is promoted to voter once caught up. */
    public RangeChange addReplica(long rangeId, long nodeId, boolean learner) {
        AddReplicaRequest request = AddReplicaRequest.newBuilder()
                .setRangeId(id("range id", rangeId)).setNodeId(id("node id", nodeId)).setLearner(learner).build();
        return change("AddReplica", caller.call("AddReplica", false, stub -> stub.addReplica(request),
                AdminClient::errorOf));
    }

    public RangeChange removeReplica(long rangeId, long nodeId) {
        RemoveReplicaRequest request = RemoveReplicaRequest.newBuilder()
                .setRangeId(id("range id", rangeId)).setNodeId(id("node id", nodeId)).build();
        return change("RemoveReplica", caller.call("RemoveReplica", false, stub -> stub.removeReplica(request),
                AdminClient::errorOf));
    }

    public RangeChange moveReplica(long rangeId, long fromNodeId, long toNodeId) {
        if (fromNodeId == toNodeId) {
            throw new FlotillaException.InvalidArgument("a replica move needs two different nodes, got "
                    + fromNodeId + " twice");
        }
        MoveReplicaRequest request = MoveReplicaRequest.newBuilder().setRangeId(id("range id", rangeId))
                .setFromNodeId(id("source node id", fromNodeId)).setToNodeId(id("target node id", toNodeId)).build();
        return change("MoveReplica", caller.call("MoveReplica", false, stub -> stub.moveReplica(request),
                AdminClient::errorOf));
    }

    /** Every range in key order, following the pages to the end. */
    public List<RangeStatusInfo> listRanges() {
        List<RangeStatusInfo> all = new ArrayList<>();
        byte[] token = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            RangePage page = listRanges(token, DEFAULT_PAGE_SIZE);
            all.addAll(page.ranges());
            if (page.nextPageToken().isEmpty()) {
                return all;
            }
            byte[] next = page.nextPageToken().get();
            if (token != null && ByteString.unsignedLexicographicalComparator()
                    .compare(ByteString.copyFrom(next), ByteString.copyFrom(token)) <= 0) {
                throw new FlotillaException.RpcFailed("the range listing's page token did not move forward", null);
            }
            token = next;
        }
        throw new FlotillaException.RpcFailed("the range listing did not end after " + MAX_PAGES + " pages", null);
    }

    /**
     * One page of the range listing: ranges starting at or after {@code pageTokenOrNull} (null:
     * from the start), at most {@code pageSize}.
     */
    public RangePage listRanges(byte[] pageTokenOrNull, int pageSize) {
        if (pageSize < 1) {
            throw new FlotillaException.InvalidArgument("page size must be at least 1, got " + pageSize);
        }
        ListRangesRequest.Builder request = ListRangesRequest.newBuilder().setPageSize(pageSize);
        if (pageTokenOrNull != null) {
            request.setPageToken(ByteString.copyFrom(pageTokenOrNull));
        }
        ListRangesResponse response = caller.call("ListRanges", true, stub -> stub.listRanges(request.build()),
                r -> r.hasError() ? r.getError() : null);
        return new RangePage(response.getRangesList().stream().map(RangeStatusInfo::from).toList(),
                response.getNextPageToken().isEmpty()
                        ? Optional.empty()
                        : Optional.of(response.getNextPageToken().toByteArray()));
    }

    /** The cluster's members; their addresses also become nodes this client may use. */
    public List<NodeInfo> listNodes() {
        ListNodesResponse response = caller.call("ListNodes", true,
                stub -> stub.listNodes(ListNodesRequest.getDefaultInstance()), r -> r.hasError() ? r.getError() : null);
        for (NodeStatus node : response.getNodesList()) {
            nodes.learn(node.getNodeId(), node.getAddress());
        }
        return response.getNodesList().stream().map(NodeInfo::from).toList();
    }

    public ClusterHealth clusterHealth() {
        ClusterHealthResponse response = caller.call("ClusterHealth", true,
                stub -> stub.clusterHealth(ClusterHealthRequest.getDefaultInstance()),
                r -> r.hasError() ? r.getError() : null);
        return ClusterHealth.from(response);
    }

    /**
     * Balances leaderships across nodes: the plan (range, from node, to node), started now unless
     * {@code dryRun}. Answered by the placement driver, wherever it runs.
     */
    public RebalancePlan rebalanceLeaders(boolean dryRun) {
        RebalanceRequest request = RebalanceRequest.newBuilder().setDryRun(dryRun).build();
        return RebalancePlan.from(caller.call("RebalanceLeaders", dryRun, stub -> stub.rebalanceLeaders(request),
                r -> r.hasError() ? r.getError() : null));
    }

    /** Balances replica counts across nodes, as {@link #rebalanceLeaders} does leaderships. */
    public RebalancePlan rebalanceReplicas(boolean dryRun) {
        RebalanceRequest request = RebalanceRequest.newBuilder().setDryRun(dryRun).build();
        return RebalancePlan.from(caller.call("RebalanceReplicas", dryRun, stub -> stub.rebalanceReplicas(request),
                r -> r.hasError() ? r.getError() : null));
    }

    public OperatorListing operators() {
        ListOperatorsResponse r = caller.call("ListOperators", true,
                stub -> stub.listOperators(ListOperatorsRequest.getDefaultInstance()),
                x -> x.hasError() ? x.getError() : null);
        return new OperatorListing(r.getOperatorsList().stream().map(OperatorView::from).toList(), r.getPaused(),
                r.getDriverNodeId());
    }

    /** Cancels a running operator; returns "cancelled", or "already_finished" if it had ended. */
    public String cancelOperator(long operatorId) {
        CancelOperatorRequest request = CancelOperatorRequest.newBuilder().setOperatorId(id("operator id", operatorId))
                .build();
        return caller.call("CancelOperator", false, stub -> stub.cancelOperator(request),
                r -> r.hasError() ? r.getError() : null).getOutcome();
    }

    /** Pauses (or resumes) the placement scheduler; returns the nodes that recorded the setting. */
    public List<Long> setPlacementPaused(boolean paused) {
        SetPlacementPausedRequest request = SetPlacementPausedRequest.newBuilder().setPaused(paused).build();
        return caller.call("SetPlacementPaused", false, stub -> stub.setPlacementPaused(request),
                r -> r.hasError() ? r.getError() : null).getRecordedOnList();
    }

    /**
     * Marks a node decommissioning: placement moves every replica away, then marks it removed.
     * Returns how many replicas it held.
     */
    public int decommission(long nodeId) {
        DecommissionRequest request = DecommissionRequest.newBuilder().setNodeId(id("node id", nodeId)).build();
        return caller.call("Decommission", false, stub -> stub.decommission(request),
                r -> r.hasError() ? r.getError() : null).getReplicasToMove();
    }

    /**
     * Prefers {@code nodeId} as the leader of {@code rangeId} (0: of every range without a
     * preference of its own); placement moves leaderships there. Returns the nodes that recorded it.
     */
    public List<Long> preferLeaderOnNode(long rangeId, long nodeId) {
        return preferLeader(SetLeaderPreferenceRequest.newBuilder().setRangeId(rangeId)
                .setNodeId(id("node id", nodeId)).build());
    }

    /** As {@link #preferLeaderOnNode}, for any node whose labels hold {@code keyValue} ("zone=eu-1"). */
    public List<Long> preferLeaderOnLabel(long rangeId, String keyValue) {
        if (keyValue == null || keyValue.indexOf('=') <= 0) {
            throw new FlotillaException.InvalidArgument("a label preference is key=value, not '" + keyValue + "'");
        }
        return preferLeader(SetLeaderPreferenceRequest.newBuilder().setRangeId(rangeId).setLabel(keyValue).build());
    }

    public List<Long> clearLeaderPreference(long rangeId) {
        return preferLeader(SetLeaderPreferenceRequest.newBuilder().setRangeId(rangeId).setClear(true).build());
    }

    private List<Long> preferLeader(SetLeaderPreferenceRequest request) {
        return caller.call("SetLeaderPreference", false, stub -> stub.setLeaderPreference(request),
                r -> r.hasError() ? r.getError() : null).getRecordedOnList();
    }

    private static RangeChange change(String call, ChangeResponse response) {
        if (!response.hasRange()) {
            throw new FlotillaException.RpcFailed(call + " answered without the range it changed", null);
        }
        return RangeChange.from(response);
    }

    private static io.flotilla.transport.proto.KvError errorOf(ChangeResponse response) {
        return response.hasError() ? response.getError() : null;
    }

    private static long id(String what, long id) {
        if (id == 0) {
            // Ids are unsigned 64-bit on the wire; 0 means "none".
            throw new FlotillaException.InvalidArgument(what + " must not be 0");
        }
        return id;
    }

    private static ByteString bytes(String what, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new FlotillaException.InvalidArgument(what + " must not be empty");
        }
        return ByteString.copyFrom(bytes);
    }
}
