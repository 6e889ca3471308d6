package io.flotilla.store.server;

import io.flotilla.placement.cluster.AdminState;
import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.RangeReport;
import io.flotilla.placement.cluster.RangeStats;
import io.flotilla.placement.cluster.RegisteredNode;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.cluster.StoreHeartbeat;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.RangeStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A node's LocalRanges answer read as the placement engine's store heartbeat and registry entry.
 * The driver pulls these every period rather than nodes pushing them: the same facts (disk,
 * per-range descriptor, leadership, size and load, the node's admin state), and a node that does
 * not answer simply sends no heartbeat.
 */
final class StoreHeartbeats {
    /** The window {@link RangeLoad} measures rates over. */
    static final long LOAD_WINDOW_MILLIS = 10_000;

    private StoreHeartbeats() {
    }

    /** The heartbeat, stamped with the driver's receive time so that one clock judges every node. */
    static StoreHeartbeat heartbeat(LocalRangesResponse r, long receivedAtMillis) {
        List<RangeReport> ranges = new ArrayList<>();
        for (RangeStatus s : r.getRangesList()) {
            var d = s.getRange();
            if (d.getVersion() == 0 || d.getRangeId() == 0) {
                continue; // a replica prepared here, still waiting for its first snapshot: no descriptor yet
            }
            List<Replica> replicas = new ArrayList<>();
            for (var rep : d.getReplicasList()) {
                replicas.add(new Replica(rep.getNodeId(), rep.getReplicaId(), rep.getLearner()));
            }
            boolean leads = s.getLeaderNodeId() == r.getNodeId();
            RangeStats stats = new RangeStats(s.getApproximateBytes(), s.getReadsPerSecond(), s.getWritesPerSecond(),
                    leads ? LOAD_WINDOW_MILLIS : 0, Optional.empty(), Optional.empty());
            ranges.add(new RangeReport(d.getRangeId(), Key.of(d.getStartKey().toByteArray()),
                    Key.of(d.getEndKey().toByteArray()), replicas, d.getVersion(), d.getConfVersion(), leads, stats));
        }
        return new StoreHeartbeat(r.getNodeId(), receivedAtMillis, r.getCapacityBytes(), r.getUsedBytes(), ranges);
    }

    static RegisteredNode registration(long nodeId, String address, LocalRangesResponse r) {
        return new RegisteredNode(nodeId, address == null ? "" : address, r.getLabelsMap(), adminState(r.getAdminState()));
    }

    static AdminState adminState(io.flotilla.transport.proto.AdminState s) {
        return switch (s) {
            case ADMIN_DECOMMISSIONING -> AdminState.DECOMMISSIONING;
            case ADMIN_REMOVED -> AdminState.REMOVED;
            default -> AdminState.ACTIVE;
        };
    }

    static io.flotilla.transport.proto.AdminState toProto(AdminState s) {
        return switch (s) {
            case DECOMMISSIONING -> io.flotilla.transport.proto.AdminState.ADMIN_DECOMMISSIONING;
            case REMOVED -> io.flotilla.transport.proto.AdminState.ADMIN_REMOVED;
            case ACTIVE -> io.flotilla.transport.proto.AdminState.ADMIN_ACTIVE;
        };
    }
}
