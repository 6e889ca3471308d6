package io.flotilla.placement.simulation;

import io.flotilla.placement.cluster.AdminState;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.ClusterViewBuilder;
import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.LivenessConfig;
import io.flotilla.placement.cluster.RangeReport;
import io.flotilla.placement.cluster.RangeStats;
import io.flotilla.placement.cluster.RegisteredNode;
import io.flotilla.placement.cluster.Replica;
import io.flotilla.placement.cluster.StoreHeartbeat;
import io.flotilla.placement.driver.NodeRegistry;
import io.flotilla.placement.operator.RangeActions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A cluster model that placement drives in place of real nodes: it applies {@link RangeActions}
 * with seeded delays, failures and hangs, elects a new leader some rounds after one dies,
 * sends store heartbeats, and builds the {@link ClusterView} from them as the meta range will.
 *
 * <p>It checks the rules placement must keep as it applies each action: a second replica of a
 * range on one node, a replica placed on a node not ACTIVE, or a node marked REMOVED while it
 * still holds data are recorded as violations. Single-threaded: every future completes inside
 * {@link #advance}.</p>
 */
final class SimulatedCluster implements RangeActions, NodeRegistry {

    static final long MIB = 1024L * 1024L;
    static final long WINDOW_MILLIS = 60_000;

    private final Random random;
    private final FaultProfile faults;
    private final long roundMillis;
    private final int electionRounds;
    private final ClusterViewBuilder builder;
    private final Map<Long, SimNode> nodes = new TreeMap<>();
    private final Map<Long, SimRange> ranges = new TreeMap<>();
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong(Pending::dueMillis).thenComparingLong(Pending::seq));
    private final List<String> violations = new ArrayList<>();
    private long now;
    private long seq;
    private long nextRangeId = 1;
    private long nextReplicaId = 1;
    private long actionsApplied;
    private long actionsFailed;

    SimulatedCluster(Random random, FaultProfile faults, long roundMillis, LivenessConfig liveness) {
        this.random = random;
        this.faults = faults;
        this.roundMillis = roundMillis;
        this.electionRounds = 2;
        this.builder = new ClusterViewBuilder(liveness);
    }

    // ---- building the model ------------------------------------------------------------

    void addNode(long id, String zone) {
        SimNode node = new SimNode(id, zone);
        nodes.put(id, node);
        register(node);
    }

    /** A range {@code [start, end)} with voters on {@code voterNodes}, led from {@code leader}. */
    SimRange addRange(long start, long end, List<Long> voterNodes, long leader, long bytes, double reads, double writes) {
        SimRange r = new SimRange(nextRangeId++, start, end);
        for (long n : voterNodes) {
            r.replicas.add(Replica.voter(n, nextReplicaId++));
        }
        r.leader = leader;
        r.bytes = bytes;
        r.reads = reads;
        r.writes = writes;
        ranges.put(r.id, r);
        return r;
    }

    void kill(long nodeId) {
        nodes.get(nodeId).alive = false;
    }

    void decommission(long nodeId) {
        SimNode node = nodes.get(nodeId);
        node.admin = AdminState.DECOMMISSIONING;
        builder.setAdminState(nodeId, node.admin);
    }

    private void register(SimNode node) {
        Map<String, String> labels = node.zone.isEmpty() ? Map.of() : Map.of("zone", node.zone);
        builder.register(new RegisteredNode(node.id, "127.0.0.1:" + (7000 + node.id), labels, node.admin));
    }

    // ---- reading the model --------------------------------------------------------------

    Map<Long, SimNode> nodes() {
        return nodes;
    }

    Map<Long, SimRange> ranges() {
        return ranges;
    }

    List<String> violations() {
        return violations;
    }

    long actionsApplied() {
        return actionsApplied;
    }

    long actionsFailed() {
        return actionsFailed;
    }

    boolean alive(long nodeId) {
        SimNode n = nodes.get(nodeId);
        return n != null && n.alive;
    }

    int liveVoters(SimRange r) {
        int live = 0;
        for (Replica v : r.replicas) {
            if (v.isVoter() && alive(v.nodeId())) {
                live++;
            }
        }
        return live;
    }

    boolean hasQuorum(SimRange r) {
        int voters = 0;
        for (Replica v : r.replicas) {
            if (v.isVoter()) {
                voters++;
            }
        }
        return voters > 0 && liveVoters(r) >= voters / 2 + 1;
    }

    // ---- time ---------------------------------------------------------------------------

    /** Moves time to {@code nowMillis}: applies due actions in order, then elects lost leaders. */
    void advance(long nowMillis) {
        now = nowMillis;
        while (!pending.isEmpty() && pending.peek().dueMillis() <= now) {
            pending.poll().run();
        }
        for (SimRange r : ranges.values()) {
            if (r.leader != 0 && !alive(r.leader)) {
                r.leader = 0;
                r.leaderLostAt = now;
            }
            if (r.leader == 0 && hasQuorum(r) && now - r.leaderLostAt >= electionRounds * roundMillis) {
                List<Replica> live = r.voters().stream().filter(v -> alive(v.nodeId())).toList();
                r.leader = live.get(random.nextInt(live.size())).nodeId();
                r.leaderLostAt = -1;
            }
        }
    }

    /** Every live node heartbeats; returns the view the meta range would build now. */
    ClusterView heartbeatAndView() {
        Map<Long, List<RangeReport>> reports = new TreeMap<>();
        for (SimNode n : nodes.values()) {
            if (n.alive) {
                reports.put(n.id, new ArrayList<>());
            }
        }
        Map<Long, Long> used = new HashMap<>();
        for (SimRange r : ranges.values()) {
            RangeStats stats = r.stats();
            Key start = r.startKey();
            Key end = r.endKey();
            List<Replica> replicas = List.copyOf(r.replicas);
            for (Replica replica : r.replicas) {
                List<RangeReport> list = reports.get(replica.nodeId());
                if (list != null) {
                    list.add(new RangeReport(r.id, start, end, replicas, r.version, r.confVersion,
                            r.leader == replica.nodeId(), stats));
                    used.merge(replica.nodeId(), r.bytes, Long::sum);
                }
            }
        }
        for (Map.Entry<Long, List<RangeReport>> e : reports.entrySet()) {
            builder.receive(new StoreHeartbeat(e.getKey(), now, 1L << 40, used.getOrDefault(e.getKey(), 0L), e.getValue()));
        }
        return builder.build(now);
    }

    // ---- RangeActions -------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> split(long rangeId, Key splitKey) {
        return schedule(0, () -> applySplit(rangeId, SimRange.number(splitKey)));
    }

    @Override
    public CompletableFuture<Void> addLearner(long rangeId, long nodeId) {
        // Judged when asked: a node may start draining while an add planned before is in flight.
        SimNode node = nodes.get(nodeId);
        if (node == null || node.admin != AdminState.ACTIVE) {
            violations.add("t=" + now + " range " + rangeId + ": replica asked for on node " + nodeId + " which is "
                    + (node == null ? "unknown" : node.admin));
        }
        SimRange r = ranges.get(rangeId);
        if (r != null && r.replicaOn(nodeId) != null && r.replicaOn(nodeId).isVoter()) {
            violations.add("t=" + now + " range " + rangeId + ": a second replica asked for on node " + nodeId);
        }
        return schedule(0, () -> applyAddLearner(rangeId, nodeId));
    }

    @Override
    public CompletableFuture<Void> promoteLearner(long rangeId, long nodeId) {
        // Catching up takes longer for a bigger range: a round per 32 MiB.
        SimRange r = ranges.get(rangeId);
        int catchUp = r == null ? 0 : (int) Math.min(3, r.bytes / (32 * MIB));
        return schedule(catchUp, () -> applyPromote(rangeId, nodeId));
    }

    @Override
    public CompletableFuture<Void> removeReplica(long rangeId, long nodeId) {
        return schedule(0, () -> applyRemove(rangeId, nodeId));
    }

    @Override
    public CompletableFuture<Void> transferLeader(long rangeId, long fromNodeId, long toNodeId) {
        return schedule(0, () -> applyTransfer(rangeId, toNodeId));
    }

    // ---- NodeRegistry -------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> markRemoved(long nodeId) {
        SimNode node = nodes.get(nodeId);
        if (node.admin != AdminState.DECOMMISSIONING) {
            violations.add("t=" + now + " node " + nodeId + " marked removed while " + node.admin);
        }
        for (SimRange r : ranges.values()) {
            if (r.replicaOn(nodeId) != null) {
                violations.add("t=" + now + " node " + nodeId + " marked removed while it holds range " + r.id);
            }
        }
        node.admin = AdminState.REMOVED;
        builder.setAdminState(nodeId, AdminState.REMOVED);
        return CompletableFuture.completedFuture(null);
    }

    // ---- applying actions ---------------------------------------------------------------

    /** Decides the action's fate now (so the seed alone decides it) and applies it later. */
    private CompletableFuture<Void> schedule(int extraRounds, Supplier<String> apply) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        int delay = 1 + random.nextInt(faults.maxDelayRounds()) + extraRounds;
        double fate = random.nextDouble();
        if (fate < faults.hangRate()) {
            return future; // never answers
        }
        boolean fail = fate < faults.hangRate() + faults.failureRate();
        pending.add(new Pending(now + delay * roundMillis, seq++, () -> {
            if (fail) {
                actionsFailed++;
                future.completeExceptionally(new IllegalStateException("injected failure"));
                return;
            }
            String refusal = apply.get();
            if (refusal == null) {
                actionsApplied++;
                future.complete(null);
            } else {
                actionsFailed++;
                future.completeExceptionally(new IllegalStateException(refusal));
            }
        }));
        return future;
    }

    /** Null when applied, else why the range refused. */
    private String canChange(SimRange r) {
        if (r == null) {
            return "no such range";
        }
        if (r.leader == 0 || !alive(r.leader)) {
            return "range " + r.id + " has no leader";
        }
        return hasQuorum(r) ? null : "range " + r.id + " has no quorum";
    }

    private String applySplit(long rangeId, long key) {
        SimRange r = ranges.get(rangeId);
        String refusal = canChange(r);
        if (refusal != null) {
            return refusal;
        }
        if (key <= r.start || key >= r.end) {
            return "split key outside range " + rangeId;
        }
        SimRange child = new SimRange(nextRangeId++, key, r.end);
        for (Replica rep : r.replicas) {
            child.replicas.add(new Replica(rep.nodeId(), nextReplicaId++, rep.learner()));
        }
        child.leader = r.leader;
        child.bytes = r.bytes / 2;
        child.reads = r.reads / 2;
        child.writes = r.writes / 2;
        r.end = key;
        r.bytes -= child.bytes;
        r.reads -= child.reads;
        r.writes -= child.writes;
        r.version++;
        child.version = r.version;
        child.confVersion = r.confVersion;
        ranges.put(child.id, child);
        return null;
    }

    private String applyAddLearner(long rangeId, long nodeId) {
        SimRange r = ranges.get(rangeId);
        String refusal = canChange(r);
        if (refusal != null) {
            return refusal;
        }
        SimNode node = nodes.get(nodeId);
        if (node == null || node.admin != AdminState.ACTIVE) {
            return "node " + nodeId + " is not active";
        }
        Replica existing = r.replicaOn(nodeId);
        if (existing != null && existing.isVoter()) {
            violations.add("t=" + now + " range " + rangeId + ": a second replica asked for on node " + nodeId);
            return "node already holds a voter";
        }
        if (existing != null) {
            return null; // a retry of an add that already happened
        }
        if (!node.alive) {
            return "node " + nodeId + " unreachable";
        }
        r.replicas.add(Replica.learner(nodeId, nextReplicaId++));
        r.confVersion++;
        return null;
    }

    private String applyPromote(long rangeId, long nodeId) {
        SimRange r = ranges.get(rangeId);
        String refusal = canChange(r);
        if (refusal != null) {
            return refusal;
        }
        Replica existing = r.replicaOn(nodeId);
        if (existing == null) {
            return "no learner on node " + nodeId;
        }
        if (existing.isVoter()) {
            return null;
        }
        if (!alive(nodeId)) {
            return "learner on node " + nodeId + " cannot catch up";
        }
        r.replicas.set(r.replicas.indexOf(existing), Replica.voter(nodeId, existing.replicaId()));
        r.confVersion++;
        return null;
    }

    private String applyRemove(long rangeId, long nodeId) {
        SimRange r = ranges.get(rangeId);
        String refusal = canChange(r);
        if (refusal != null) {
            return refusal;
        }
        Replica existing = r.replicaOn(nodeId);
        if (existing == null) {
            return null;
        }
        if (r.leader == nodeId) {
            return "the leader cannot remove itself; transfer first";
        }
        r.replicas.remove(existing);
        r.confVersion++;
        return null;
    }

    private String applyTransfer(long rangeId, long to) {
        SimRange r = ranges.get(rangeId);
        String refusal = canChange(r);
        if (refusal != null) {
            return refusal;
        }
        if (r.leader == to) {
            return null;
        }
        Replica target = r.replicaOn(to);
        if (target == null || target.learner() || !alive(to)) {
            return "node " + to + " cannot lead range " + rangeId;
        }
        r.leader = to;
        return null;
    }

    private record Pending(long dueMillis, long seq, Runnable action) {
        void run() {
            action.run();
        }
    }
}
