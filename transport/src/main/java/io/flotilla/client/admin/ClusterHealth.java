package io.flotilla.client.admin;

import io.flotilla.transport.proto.ClusterHealthResponse;
import java.util.List;

/** The cluster at a glance, and the ranges that make it unhealthy. */
public record ClusterHealth(boolean healthy, int ranges, int nodesUp, int nodesDown,
        List<RangeStatusInfo> withoutLeader, List<RangeStatusInfo> underReplicated) {
    public ClusterHealth {
        withoutLeader = List.copyOf(withoutLeader);
        underReplicated = List.copyOf(underReplicated);
    }

    static ClusterHealth from(ClusterHealthResponse response) {
        return new ClusterHealth(response.getHealthy(), response.getRanges(), response.getNodesUp(),
                response.getNodesDown(), response.getWithoutLeaderList().stream().map(RangeStatusInfo::from).toList(),
                response.getUnderReplicatedList().stream().map(RangeStatusInfo::from).toList());
    }
}
