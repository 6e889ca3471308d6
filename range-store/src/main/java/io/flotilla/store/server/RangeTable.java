package io.flotilla.store.server;

import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.Replica;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's ranges merged from every node's own report. Per range: the descriptor with the
 * highest (version, conf_version) wins, since every split and membership change raises one of
 * them; the leader is the replica that reports itself leader with the highest term (an old
 * leader that has not yet heard of its successor reports a lower one); load and sizes are the
 * leader's. Replicas on nodes that did not report the range, or that trail the leader's applied
 * index by more than {@link #LAG_ENTRIES}, are lagging.
 */
public final class RangeTable {
    static final long LAG_ENTRIES = 100;

    private RangeTable() {
    }

    /** Every range any node reported, ordered by start key; replicas still awaiting their first snapshot are left out. */
    public static List<RangeStatus> merge(List<ClusterSurvey.NodeReport> reports) {
        Map<Long, RangeStatus> best = new HashMap<>();
        Map<Long, RangeStatus> leaders = new HashMap<>();
        Map<Long, Map<Long, Long>> appliedByNode = new HashMap<>();
        for (ClusterSurvey.NodeReport report : reports) {
            LocalRangesResponse r = report.response();
            if (r == null) {
                continue;
            }
            for (RangeStatus s : r.getRangesList()) {
                var d = s.getRange();
                if (d.getVersion() == 0) {
                    continue;
                }
                best.merge(d.getRangeId(), s, (a, b) -> newer(b, a) ? b : a);
                appliedByNode.computeIfAbsent(d.getRangeId(), k -> new TreeMap<>()).put(r.getNodeId(), s.getAppliedIndex());
                if (s.getLeaderNodeId() == r.getNodeId()) {
                    leaders.merge(d.getRangeId(), s, (a, b) -> b.getTerm() > a.getTerm() ? b : a);
                }
            }
        }
        List<RangeStatus> out = new ArrayList<>(best.size());
        for (RangeStatus s : best.values()) {
            long id = s.getRange().getRangeId();
            RangeStatus leader = leaders.get(id);
            RangeStatus.Builder b = (leader != null ? leader : s).toBuilder().setRange(s.getRange())
                    .setLeaderNodeId(leader != null ? leader.getLeaderNodeId() : 0)
                    .clearLaggingNodeIds();
            if (leader == null) {
                b.setReadsPerSecond(0).setWritesPerSecond(0);
            }
            Map<Long, Long> applied = appliedByNode.get(id);
            long reference = leader != null ? leader.getAppliedIndex() : 0;
            for (Replica rep : s.getRange().getReplicasList()) {
                Long a = applied.get(rep.getNodeId());
                if (a == null || (leader != null && reference - a > LAG_ENTRIES)) {
                    b.addLaggingNodeIds(rep.getNodeId());
                }
            }
            out.add(b.build());
        }
        out.sort((x, y) -> Arrays.compareUnsigned(x.getRange().getStartKey().toByteArray(),
                y.getRange().getStartKey().toByteArray()));
        return out;
    }

    private static boolean newer(RangeStatus a, RangeStatus b) {
        var x = a.getRange();
        var y = b.getRange();
        return x.getVersion() != y.getVersion() ? x.getVersion() > y.getVersion() : x.getConfVersion() > y.getConfVersion();
    }

    /** Voter replicas of a range. */
    public static List<Replica> voters(RangeStatus s) {
        List<Replica> out = new ArrayList<>();
        for (Replica r : s.getRange().getReplicasList()) {
            if (!r.getLearner()) {
                out.add(r);
            }
        }
        return out;
    }
}
