package io.flotilla.placement.simulation;

import io.flotilla.placement.balance.BalanceTolerance;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.Replica;

import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/** Rules over the model and the view that several scenarios check. */
final class SimChecks {

    private SimChecks() {
    }

    /** Never two replicas of a range on one node. */
    static String noColocation(SimulatedCluster cluster) {
        for (SimRange r : cluster.ranges().values()) {
            List<Replica> replicas = r.replicas;
            for (int i = 0; i < replicas.size(); i++) {
                for (int j = i + 1; j < replicas.size(); j++) {
                    if (replicas.get(i).nodeId() == replicas.get(j).nodeId()) {
                        return "range " + r.id + " has two replicas on node " + replicas.get(i).nodeId() + ": " + replicas;
                    }
                }
            }
        }
        return null;
    }

    /** Every range has a live majority of its voters. */
    static String everyRangeHasQuorum(SimulatedCluster cluster) {
        for (SimRange r : cluster.ranges().values()) {
            if (!cluster.hasQuorum(r)) {
                return "range " + r.id + " lost its quorum: " + r.replicas;
            }
        }
        return null;
    }

    /** Every range has at least {@code factor} voters, all on live nodes, none on {@code excluded}. */
    static String fullyReplicated(SimulatedCluster cluster, int factor, Set<Long> excluded, boolean exact) {
        for (SimRange r : cluster.ranges().values()) {
            List<Replica> voters = r.voters();
            if (voters.size() < factor || (exact && (voters.size() != factor || voters.size() != r.replicas.size()))) {
                return "range " + r.id + " has " + voters.size() + " voters of " + factor + ": " + r.replicas;
            }
            for (Replica v : r.replicas) {
                if (!cluster.alive(v.nodeId()) || excluded.contains(v.nodeId())) {
                    return "range " + r.id + " still has a replica on node " + v.nodeId() + ": " + r.replicas;
                }
            }
        }
        return null;
    }

    static String leadersBalanced(ClusterView view, BalanceTolerance tolerance) {
        return balanced(view, tolerance, n -> view.leaderCount(n.nodeId()), "leaders");
    }

    static String replicasBalanced(ClusterView view, BalanceTolerance tolerance) {
        return balanced(view, tolerance, n -> view.replicaCount(n.nodeId()), "replicas");
    }

    private static String balanced(ClusterView view, BalanceTolerance tolerance, ToIntFunction<NodeInfo> count, String what) {
        List<NodeInfo> up = view.nodesIn(NodeState.UP);
        double mean = up.stream().mapToInt(count).sum() / (double) up.size();
        for (NodeInfo n : up) {
            if (!tolerance.within(count.applyAsInt(n), mean)) {
                StringBuilder counts = new StringBuilder();
                up.forEach(u -> counts.append(" n").append(u.nodeId()).append('=').append(count.applyAsInt(u)));
                return String.format("%s not within ±%.2f of the mean %.2f:%s", what, tolerance.allowed(mean), mean, counts);
            }
        }
        return null;
    }
}
