package io.flotilla.client.admin;

import io.flotilla.transport.proto.RangeStatus;
import java.util.List;

/**
 * A range and how it is doing, as its leader reports: {@code leaderNodeId} 0 when no replica
 * knows a leader; the rates are recent per-second figures; {@code laggingNodeIds} are replicas
 * behind or unreachable.
 */
public record RangeStatusInfo(RangeInfo range, long leaderNodeId, long term, long appliedIndex, long approximateBytes,
        double readsPerSecond, double writesPerSecond, List<Long> laggingNodeIds, boolean quiesced) {
    public RangeStatusInfo {
        laggingNodeIds = List.copyOf(laggingNodeIds);
    }

    public static RangeStatusInfo from(RangeStatus status) {
        return new RangeStatusInfo(RangeInfo.from(status.getRange()), status.getLeaderNodeId(), status.getTerm(),
                status.getAppliedIndex(), status.getApproximateBytes(), status.getReadsPerSecond(),
                status.getWritesPerSecond(), status.getLaggingNodeIdsList(), status.getQuiesced());
    }
}
