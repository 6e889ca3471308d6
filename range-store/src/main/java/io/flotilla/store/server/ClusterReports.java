package io.flotilla.store.server;

import io.flotilla.transport.proto.ClusterHealthResponse;
import io.flotilla.transport.proto.ListNodesResponse;
import io.flotilla.transport.proto.ListRangesRequest;
import io.flotilla.transport.proto.ListRangesResponse;
import io.flotilla.transport.proto.NodeState;
import io.flotilla.transport.proto.NodeStatus;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.Replica;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster as operators see it — ranges, nodes, health — read from one survey of every node.
 * A node that does not answer the survey in time counts as down.
 */
final class ClusterReports {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    /** The replication factor a range should have: this many voters, or every node if fewer. */
    static final int REPLICATION_FACTOR = 3;
    /** A node silent for less than this, though it missed the survey, is suspect rather than dead. */
    static final long SUSPECT_MILLIS = 5_000;

    private final NodeContext ctx;

    ClusterReports(NodeContext ctx) {
        this.ctx = ctx;
    }

    private ClusterSurvey.Survey survey(AdminCall call) {
        long ms = Math.max(1, Math.min(2000, call.remainingMillis() - 50));
        return call.await(ctx.survey().take(Duration.ofMillis(ms)), "surveying the cluster");
    }

    ListRangesResponse listRanges(ListRangesRequest req, AdminCall call) {
        int size = req.getPageSize() == 0 ? DEFAULT_PAGE : req.getPageSize();
        if (size < 0 || size > MAX_PAGE) {
            throw new io.flotilla.store.range.RangeException.InvalidArgument("page size "
                    + Integer.toUnsignedString(req.getPageSize()) + " is above the maximum of " + MAX_PAGE);
        }
        byte[] from = req.getPageToken().toByteArray();
        ListRangesResponse.Builder out = ListRangesResponse.newBuilder();
        for (RangeStatus s : RangeTable.merge(survey(call).reports())) {
            if (Arrays.compareUnsigned(s.getRange().getStartKey().toByteArray(), from) < 0) {
                continue;
            }
            if (out.getRangesCount() == size) {
                // Only the first range starts at the empty key, so a next page never starts there.
                out.setNextPageToken(s.getRange().getStartKey());
                break;
            }
            out.addRanges(s);
        }
        return out.build();
    }

    ListNodesResponse listNodes(AdminCall call) {
        ClusterSurvey.Survey s = survey(call);
        long now = ctx.clock().getAsLong();
        ListNodesResponse.Builder out = ListNodesResponse.newBuilder();
        for (ClusterSurvey.NodeReport r : s.reports()) {
            NodeStatus.Builder n = NodeStatus.newBuilder().setNodeId(r.nodeId())
                    .setAddress(r.address() == null ? "" : r.address());
            long silence = r.nodeId() == ctx.nodeId() ? 0 : ctx.liveness().silenceMillis(r.nodeId(), now);
            if (r.reachable()) {
                n.setState(switch (r.response().getAdminState()) {
                    case ADMIN_DECOMMISSIONING -> NodeState.NODE_DECOMMISSIONING;
                    case ADMIN_REMOVED -> NodeState.NODE_REMOVED;
                    default -> r.response().getDraining() ? NodeState.NODE_DRAINING : NodeState.NODE_UP;
                });
                int leaders = 0;
                for (RangeStatus rs : r.response().getRangesList()) {
                    if (rs.getLeaderNodeId() == r.nodeId()) {
                        leaders++;
                    }
                }
                n.setRangeCount(r.response().getRangesCount()).setLeaderCount(leaders);
            } else {
                n.setState(silence >= 0 && silence < SUSPECT_MILLIS ? NodeState.NODE_SUSPECT : NodeState.NODE_DEAD);
            }
            n.setLastHeardMs(Math.max(0, silence));
            out.addNodes(n);
        }
        return out.build();
    }

    ClusterHealthResponse health(AdminCall call) {
        ClusterSurvey.Survey s = survey(call);
        Set<Long> down = new HashSet<>();
        for (ClusterSurvey.NodeReport r : s.reports()) {
            if (!r.reachable()) {
                down.add(r.nodeId());
            }
        }
        int nodes = s.reports().size();
        int wanted = Math.min(REPLICATION_FACTOR, nodes);
        ClusterHealthResponse.Builder out = ClusterHealthResponse.newBuilder().setNodesUp(nodes - down.size())
                .setNodesDown(down.size());
        List<RangeStatus> ranges = RangeTable.merge(s.reports());
        out.setRanges(ranges.size());
        for (RangeStatus r : ranges) {
            if (r.getLeaderNodeId() == 0) {
                out.addWithoutLeader(r);
            }
            List<Replica> voters = RangeTable.voters(r);
            boolean voterDown = voters.stream().anyMatch(v -> down.contains(v.getNodeId()));
            if (voters.size() < wanted || voterDown) {
                out.addUnderReplicated(r);
            }
        }
        out.setHealthy(down.isEmpty() && out.getWithoutLeaderCount() == 0 && out.getUnderReplicatedCount() == 0);
        return out.build();
    }
}
