package io.flotilla.store.server;

import io.flotilla.engine.NodeEngine;
import io.flotilla.raft.StateRole;
import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.RangeStatus;

import java.util.function.BooleanSupplier;

/**
 * What this node holds, as it sees it: every range with its role, term, applied index, size and
 * recent load. Answers LocalRanges; the cluster-wide views merge these reports.
 */
public final class LocalRanges {
    private final StoreNode store;
    private final RangeLoad load;
    private final BooleanSupplier draining;
    private final NodeDecisions decisions;
    private final java.nio.file.Path disk;
    private final java.util.Map<String, String> labels;

    public LocalRanges(StoreNode store, RangeLoad load, BooleanSupplier draining) {
        this(store, load, draining, null, null, java.util.Map.of());
    }

    /** With the node's recorded decisions and the directory whose disk it reports: a full store heartbeat. */
    LocalRanges(StoreNode store, RangeLoad load, BooleanSupplier draining, NodeDecisions decisions,
                java.nio.file.Path disk, java.util.Map<String, String> labels) {
        this.labels = labels;
        this.store = store;
        this.load = load;
        this.draining = draining;
        this.decisions = decisions;
        this.disk = disk;
    }

    public LocalRangesResponse report() {
        LocalRangesResponse.Builder out = LocalRangesResponse.newBuilder().setNodeId(store.nodeId())
                .setDraining(draining.getAsBoolean());
        if (decisions != null) {
            out.setAdminState(decisions.adminState()).setPlacementPaused(decisions.paused());
        }
        out.putAllLabels(labels);
        if (disk != null) {
            java.io.File f = disk.toFile();
            long total = f.getTotalSpace();
            // The disk's real fullness: placement keeps new replicas off a nearly full disk.
            out.setCapacityBytes(total).setUsedBytes(Math.max(0, total - f.getUsableSpace()));
        }
        for (RangeDescriptor d : store.descriptors()) {
            NodeEngine.GroupInfo info = store.engine().info(d.rangeId());
            if (info == null) {
                continue; // destroyed while we looked
            }
            boolean leads = info.role() == StateRole.LEADER;
            RangeStatus.Builder s = RangeStatus.newBuilder().setRange(ProtoConvert.toProto(d))
                    .setLeaderNodeId(leads ? store.nodeId() : info.leaderNode()).setTerm(info.term())
                    .setAppliedIndex(info.applied()).setQuiesced(info.quiesced())
                    .setApproximateBytes(store.approximateBytes(d.rangeId()));
            if (leads) {
                s.setReadsPerSecond(load.readsPerSecond(d.rangeId())).setWritesPerSecond(load.writesPerSecond(d.rangeId()));
            }
            out.addRanges(s);
        }
        return out.build();
    }
}
