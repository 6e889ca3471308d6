package io.flotilla.store.cli;

import io.flotilla.client.admin.NodeInfo;
import io.flotilla.client.admin.RangeInfo;
import io.flotilla.client.admin.RangeStatusInfo;
import io.flotilla.client.admin.ReplicaInfo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How ranges and nodes look in the CLI and the demo: the same table and JSON everywhere. */
final class RangeViews {
    private RangeViews() {
    }

    static String replicas(RangeInfo r) {
        List<String> parts = new ArrayList<>();
        for (ReplicaInfo rep : r.replicas()) {
            parts.add("n" + rep.nodeId() + (rep.learner() ? "(learner)" : ""));
        }
        return String.join(",", parts);
    }

    static void printRanges(List<RangeStatusInfo> ranges, PrintStream out) {
        Table t = new Table("RANGE", "START", "END", "LEADER", "REPLICAS", "VERSION", "CONF", "APPLIED", "BYTES",
                "READS/S", "WRITES/S");
        for (RangeStatusInfo s : ranges) {
            RangeInfo r = s.range();
            t.row(r.rangeId(), Bytes.bound(r.startKey(), false), Bytes.bound(r.endKey(), true),
                    s.leaderNodeId() == 0 ? "none" : "n" + s.leaderNodeId(), replicas(r), r.version(),
                    r.confVersion(), s.appliedIndex(), s.approximateBytes(), String.format("%.1f", s.readsPerSecond()),
                    String.format("%.1f", s.writesPerSecond()));
        }
        t.print(out);
    }

    static Map<String, Object> rangeJson(RangeInfo r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rangeId", r.rangeId());
        m.put("startKey", Bytes.show(r.startKey()));
        m.put("endKey", Bytes.show(r.endKey()));
        List<Object> reps = new ArrayList<>();
        for (ReplicaInfo rep : r.replicas()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("nodeId", rep.nodeId());
            x.put("replicaId", rep.replicaId());
            x.put("learner", rep.learner());
            reps.add(x);
        }
        m.put("replicas", reps);
        m.put("version", r.version());
        m.put("confVersion", r.confVersion());
        return m;
    }

    static Map<String, Object> statusJson(RangeStatusInfo s) {
        Map<String, Object> m = rangeJson(s.range());
        m.put("leaderNodeId", s.leaderNodeId());
        m.put("term", s.term());
        m.put("appliedIndex", s.appliedIndex());
        m.put("approximateBytes", s.approximateBytes());
        m.put("readsPerSecond", s.readsPerSecond());
        m.put("writesPerSecond", s.writesPerSecond());
        m.put("laggingNodeIds", s.laggingNodeIds());
        m.put("quiesced", s.quiesced());
        return m;
    }

    static List<Object> statusesJson(List<RangeStatusInfo> ranges) {
        List<Object> out = new ArrayList<>();
        for (RangeStatusInfo s : ranges) {
            out.add(statusJson(s));
        }
        return out;
    }

    static void printNodes(List<NodeInfo> nodes, PrintStream out) {
        Table t = new Table("NODE", "ADDRESS", "STATE", "RANGES", "LEADERS", "LAST HEARD");
        for (NodeInfo n : nodes) {
            t.row("n" + n.nodeId(), n.address(), n.state(), n.rangeCount(), n.leaderCount(), n.lastHeardMs() + " ms");
        }
        t.print(out);
    }

    static List<Object> nodesJson(List<NodeInfo> nodes) {
        List<Object> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nodeId", n.nodeId());
            m.put("address", n.address());
            m.put("state", n.state().name());
            m.put("rangeCount", n.rangeCount());
            m.put("leaderCount", n.leaderCount());
            m.put("lastHeardMs", n.lastHeardMs());
            out.add(m);
        }
        return out;
    }
}
