package io.flotilla.store.server;

import io.flotilla.store.range.RangeException;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.HoldRangeRequest;
import io.flotilla.transport.proto.RecordPlacementPausedRequest;
import io.flotilla.transport.proto.SetPlacementPausedRequest;
import io.flotilla.transport.proto.SetPlacementPausedResponse;
import io.flotilla.transport.proto.SetLeaderPreferenceRequest;
import io.flotilla.transport.proto.SetLeaderPreferenceResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Placement settings recorded on every node rather than held by the driver alone — pause and
 * resume, leader preferences — so that a new driver inherits them; and the holds that keep the
 * driver off a range an admin is changing by hand. A node that was down when a setting changed
 * keeps its old one until told again.
 */
final class PlacementSettings {
    private final NodeContext ctx;
    private final PlacementLoop loop;
    private final NodeDecisions decisions;

    PlacementSettings(NodeContext ctx, PlacementLoop loop, NodeDecisions decisions) {
        this.ctx = ctx;
        this.loop = loop;
        this.decisions = decisions;
    }

    // ---------------------------------------------------------------- pause, resume, preferences

    /** Records the setting here and on every node that answers; says which did. */
    SetPlacementPausedResponse setPaused(SetPlacementPausedRequest req, AdminCall call) {
        decisions.setPaused(req.getPaused());
        RecordPlacementPausedRequest record = RecordPlacementPausedRequest.newBuilder().setPaused(req.getPaused()).build();
        List<Long> recorded = tellEveryNode(call, "placement " + (req.getPaused() ? "paused" : "resumed"),
                stub -> stub.recordPlacementPaused(record));
        ctx.log().info("placement {} (recorded on nodes {})", req.getPaused() ? "paused" : "resumed", recorded);
        return SetPlacementPausedResponse.newBuilder().setPaused(req.getPaused()).addAllRecordedOn(recorded).build();
    }

    /**
     * Records a leader preference here and, unless this copy was forwarded, on every other node
     * that answers. An unknown node or range, or a malformed label, is refused and nothing is
     * recorded anywhere.
     */
    SetLeaderPreferenceResponse setLeaderPreference(SetLeaderPreferenceRequest req, AdminCall call) {
        String spec = switch (req.getPreferenceCase()) {
            case NODE_ID -> {
                if (req.getNodeId() != ctx.nodeId() && ctx.book().get(req.getNodeId()) == null) {
                    throw new RangeException.NodeNotFound(req.getNodeId());
                }
                yield LeaderPreferences.onNode(req.getNodeId());
            }
            case LABEL -> {
                try {
                    yield LeaderPreferences.onLabel(req.getLabel());
                } catch (IllegalArgumentException e) {
                    throw new RangeException.InvalidArgument(e.getMessage());
                }
            }
            case CLEAR -> null;
            default -> throw new RangeException.InvalidArgument("a leader preference needs a node, a label, or clear");
        };
        long rangeId = req.getRangeId();
        if (!call.forwarded() && rangeId != 0 && spec != null && RangeTable.merge(call.await(
                ctx.survey().take(Duration.ofMillis(Math.max(1, Math.min(2000, call.remainingMillis())))),
                "surveying the cluster").reports()).stream().noneMatch(r -> r.getRange().getRangeId() == rangeId)) {
            throw new RangeException.RangeNotFound(rangeId);
        }
        decisions.setPreference(rangeId, spec);
        List<Long> recorded = call.forwarded() ? List.of(ctx.nodeId())
                : tellEveryNode(call, "a leader preference", stub -> stub.setLeaderPreference(req));
        ctx.log().info("leader preference for {}: {} (recorded on nodes {})",
                rangeId == 0 ? "every range" : "range " + rangeId, spec == null ? "none" : spec, recorded);
        return SetLeaderPreferenceResponse.newBuilder().addAllRecordedOn(recorded).build();
    }

    /**
     * Sends a setting to every other node (marked forwarded, so they only record it), in
     * parallel and bounded by the call; returns this node and those that answered.
     */
    private List<Long> tellEveryNode(AdminCall call, String what,
                                     Function<AdminGrpc.AdminFutureStub, com.google.common.util.concurrent.ListenableFuture<?>> send) {
        List<Long> recorded = new ArrayList<>(List.of(ctx.nodeId()));
        List<Map.Entry<Long, CompletableFuture<?>>> asks = new ArrayList<>();
        long ms = Math.max(1, Math.min(3_000, call.remainingMillis()));
        for (Map.Entry<Long, String> e : ctx.book().all().entrySet()) {
            if (e.getKey() != ctx.nodeId()) {
                asks.add(Map.entry(e.getKey(), toFuture(send.apply(Forwarding.mark(ctx.peers().adminAsync(e.getValue()))
                        .withDeadlineAfter(ms, TimeUnit.MILLISECONDS)))));
            }
        }
        for (Map.Entry<Long, CompletableFuture<?>> a : asks) {
            try {
                a.getValue().get(ms + 500, TimeUnit.MILLISECONDS);
                recorded.add(a.getKey());
            } catch (Exception e) {
                ctx.log().info("node {} did not record {}: {}", a.getKey(), what, e.toString());
            }
        }
        return recorded;
    }

    void recordPaused(RecordPlacementPausedRequest req) {
        decisions.setPaused(req.getPaused());
    }

    private static <T> CompletableFuture<T> toFuture(com.google.common.util.concurrent.ListenableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.addListener(() -> {
            try {
                out.complete(f.get());
            } catch (Exception e) {
                out.completeExceptionally(e);
            }
        }, Runnable::run);
        return out;
    }

    // ---------------------------------------------------------------- manual changes

    /**
     * Tells the driver, without waiting, that an admin is about to change {@code rangeId} by hand
     * and may take up to {@code millis}: it cancels a scheduled operator on the range and starts
     * none there until then (plus a settle time), so that the scheduler does not fight the change.
     * Sent to every node, since only the driver acts on it and this node may not know where it runs.
     */
    void holdForManualChange(long rangeId, long millis) {
        if (rangeId == 0 || !loop.options().enabled()) {
            return;
        }
        loop.hold(rangeId, millis);
        HoldRangeRequest req = HoldRangeRequest.newBuilder().setRangeId(rangeId).setMillis(Math.max(0, millis)).build();
        for (Map.Entry<Long, String> e : ctx.book().all().entrySet()) {
            if (e.getKey() != ctx.nodeId()) {
                try {
                    Forwarding.mark(ctx.peers().adminAsync(e.getValue())).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .holdRange(req);
                } catch (RuntimeException ignored) {
                    // best effort: a node that cannot be told is not the driver, or the hold comes too late anyway
                }
            }
        }
    }

    void hold(HoldRangeRequest req) {
        loop.hold(req.getRangeId(), req.getMillis());
    }
}
