package io.flotilla.placement.balance;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.LeaderPreference;
import io.flotilla.placement.cluster.NodeInfo;
import io.flotilla.placement.cluster.NodeState;
import io.flotilla.placement.cluster.RangeHealth;
import io.flotilla.placement.cluster.RangeInfo;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.policy.LoadLedger;
import io.flotilla.placement.policy.PlacementPolicy;
import io.flotilla.placement.policy.PlanningContext;
import io.flotilla.placement.policy.PolicyResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evens out leader counts over UP nodes, after honouring preferences.
 *
 * <ol>
 *   <li>A range whose leader does not satisfy its preference (a node, or a node label) moves
 *       its leadership to a voter that does, the least-leading one; if no voter does, the
 *       range is skipped with the reason. A range with a preference is not moved for balance.</li>
 *   <li>Then, while some node is outside the tolerance around the mean: push a leadership
 *       from a node above the band to the least-leading voter of that range, or pull one to a
 *       node below the band from its most-leading co-voter, when the two counts differ by at
 *       least two.</li>
 *   <li>When no such direct transfer exists (the over-full node shares no range with any
 *       light node), a chain: a leads r1 with b, b leads r2 with c, so a hands r1 to b and b
 *       hands r2 to c; b's count is unchanged and a's surplus reaches c. The shortest chain is
 *       found by a breadth-first search over "leads a range this node votes in" edges.</li>
 * </ol>
 * Every transfer or chain narrows the gap between two nodes by at least two, so planning ends.
 */
public final class LeaderBalancer implements PlacementPolicy {

    private final BalanceTolerance tolerance;

    public LeaderBalancer(BalanceTolerance tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    public String name() {
        return "leader-balance";
    }

    /** The whole plan for the view, as a dry run prints it; {@code context} decides how much fits. */
    public LeaderPlan plan(ClusterView view, PlanningContext context) {
        return LeaderPlan.of(propose(view, context));
    }

    /** Whether every UP node's leader count is within the tolerance, as the ledger counts. */
    public boolean isBalanced(ClusterView view, LoadLedger ledger) {
        List<NodeInfo> nodes = view.nodesIn(NodeState.UP);
        double mean = mean(nodes, ledger);
        return nodes.stream().allMatch(n -> tolerance.within(ledger.leaders(n.nodeId()), mean));
    }

    @Override
    public PolicyResult propose(ClusterView view, PlanningContext context) {
        PolicyResult.Builder result = new PolicyResult.Builder(name());
        honourPreferences(view, context, result);
        List<NodeInfo> nodes = view.nodesIn(NodeState.UP);
        if (nodes.size() < 2) {
            return result.build();
        }
        // Each pass ranks every helpful transfer once, then takes them in order while they still
        // help; a pass that takes none ends the loop. Every transfer narrows a gap, so passes end.
        int bound = view.ranges().size() + 1;
        for (int pass = 0; pass < bound && context.hasSlots(); pass++) {
            if (!transferPass(view, context, nodes, result) && !transferChain(view, context, nodes, result)) {
                break;
            }
        }
        return result.build();
    }

    private void honourPreferences(ClusterView view, PlanningContext context, PolicyResult.Builder result) {
        LoadLedger ledger = context.ledger();
        for (RangeInfo range : view.ranges()) {
            if (!context.hasSlots()) {
                return;
            }
            if (range.preference().isEmpty() || range.leader().isEmpty() || context.isBusy(range.rangeId())) {
                continue;
            }
            LeaderPreference preference = range.preference().get();
            NodeInfo leader = view.node(range.leaderNodeId()).orElseThrow();
            if (preference.satisfiedBy(leader)) {
                continue;
            }
            long best = -1;
            for (Replica r : range.voters()) {
                NodeInfo node = view.node(r.nodeId()).orElseThrow();
                if (node.state() == NodeState.UP && preference.satisfiedBy(node)
                        && (best < 0 || ledger.leaders(node.nodeId()) < ledger.leaders(best))) {
                    best = node.nodeId();
                }
            }
            if (best < 0) {
                result.skip(range.rangeId(), "no UP voter satisfies the preferred leader " + preference);
                continue;
            }
            if (!RangeHealth.hasQuorum(range, view)) {
                continue;
            }
            OperatorPlan plan = OperatorPlan.transferLeader(OperatorKind.LEADER_BALANCE, range.rangeId(),
                    range.leaderNodeId(), best, "preferred leader " + preference);
            if (context.tryReserve(plan)) {
                result.plan(plan);
            }
        }
    }

    private boolean transferPass(ClusterView view, PlanningContext context, List<NodeInfo> nodes, PolicyResult.Builder result) {
        LoadLedger ledger = context.ledger();
        double mean = mean(nodes, ledger);
        List<Candidate> candidates = new ArrayList<>();
        for (RangeInfo range : view.ranges()) {
            if (isMovable(range, view, context)) {
                Candidate best = bestTransfer(view, range, ledger, mean);
                if (best != null) {
                    candidates.add(best);
                }
            }
        }
        // Widest gap first; a candidate whose nodes have no slot left gives way to the next.
        candidates.sort(Comparator.comparingInt((Candidate c) -> -c.gap).thenComparingLong(c -> c.range.rangeId()));
        boolean progress = false;
        for (Candidate ranked : candidates) {
            if (!context.hasSlots()) {
                break;
            }
            // Earlier transfers in this pass changed the counts: judge the range again.
            Candidate c = bestTransfer(view, ranked.range, ledger, mean);
            if (c == null) {
                continue;
            }
            OperatorPlan plan = OperatorPlan.transferLeader(OperatorKind.LEADER_BALANCE, c.range.rangeId(), c.from,
                    c.to, "n" + c.from + " leads " + ledger.leaders(c.from) + ", n" + c.to + " "
                            + ledger.leaders(c.to) + ", mean " + Math.round(mean * 10) / 10.0);
            if (context.tryReserve(plan)) {
                result.plan(plan);
                progress = true;
            }
        }
        return progress;
    }

    /** The transfer of {@code range}'s leadership that narrows the widest gap, if one helps at all. */
    private Candidate bestTransfer(ClusterView view, RangeInfo range, LoadLedger ledger, double mean) {
        long from = range.leaderNodeId();
        int fromCount = ledger.leaders(from);
        Candidate best = null;
        for (Replica r : range.replicas()) {
            long to = r.nodeId();
            if (r.learner() || to == from || view.stateOf(to) != NodeState.UP) {
                continue;
            }
            int toCount = ledger.leaders(to);
            boolean helps = fromCount - toCount >= 2
                    && (tolerance.above(fromCount, mean) || tolerance.below(toCount, mean));
            if (helps && (best == null || fromCount - toCount > best.gap)) {
                best = new Candidate(range, from, to, fromCount - toCount);
            }
        }
        return best;
    }

    /** One chain of transfers from a node above the band, or to a node below it; false if none exists. */
    private boolean transferChain(ClusterView view, PlanningContext context, List<NodeInfo> nodes, PolicyResult.Builder result) {
        LoadLedger ledger = context.ledger();
        double mean = mean(nodes, ledger);
        List<TransferChains.Hop> chain = new TransferChains(view, ledger, range -> isMovable(range, view, context))
                .find(nodes, tolerance, mean);
        return chain != null && reserveChain(chain, context, mean, result);
    }

    private static boolean reserveChain(List<TransferChains.Hop> chain, PlanningContext context, double mean,
                                        PolicyResult.Builder result) {
        StringBuilder path = new StringBuilder("chain n").append(chain.get(0).from());
        for (TransferChains.Hop hop : chain) {
            path.append("->n").append(hop.to());
        }
        long first = chain.get(0).from();
        long last = chain.get(chain.size() - 1).to();
        String reason = path + ": n" + first + " leads " + context.ledger().leaders(first) + ", n" + last + " "
                + context.ledger().leaders(last) + ", mean " + Math.round(mean * 10) / 10.0;
        List<OperatorPlan> plans = new ArrayList<>();
        for (TransferChains.Hop hop : chain) {
            plans.add(OperatorPlan.transferLeader(OperatorKind.LEADER_BALANCE, hop.range().rangeId(), hop.from(),
                    hop.to(), reason));
        }
        if (!context.fitTogether(plans)) {
            return false; // half a chain would only shift the surplus to a middle node
        }
        boolean any = false;
        for (OperatorPlan plan : plans) {
            if (context.tryReserve(plan)) {
                result.plan(plan);
                any = true;
            }
        }
        return any;
    }

    private static boolean isMovable(RangeInfo range, ClusterView view, PlanningContext context) {
        return range.leader().isPresent() && range.preference().isEmpty() && !context.isBusy(range.rangeId())
                && view.stateOf(range.leaderNodeId()) == NodeState.UP && RangeHealth.hasQuorum(range, view);
    }

    private static double mean(List<NodeInfo> nodes, LoadLedger ledger) {
        if (nodes.isEmpty()) {
            return 0;
        }
        long total = 0;
        for (NodeInfo n : nodes) {
            total += ledger.leaders(n.nodeId());
        }
        return (double) total / nodes.size();
    }

    private record Candidate(RangeInfo range, long from, long to, int gap) {
    }
}
