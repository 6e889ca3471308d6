package io.flotilla.engine.simulation;

import io.flotilla.engine.LocalCluster;
import io.flotilla.engine.NodeEngine;
import io.flotilla.engine.NodeEngine.GroupInfo;
import io.flotilla.raft.StateRole;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * One deterministic run of many Raft groups on a {@link LocalCluster}, everything drawn from one
 * seed (see {@link RunShape}):
 *
 * <ol>
 *   <li>chaos: ticks with proposals to random groups at random replicas, interleaved with
 *       seeded faults ({@link FaultInjector});</li>
 *   <li>heal: faults off, partitions healed, every node running;</li>
 *   <li>recovery, each within a {@link LivenessBounds} bound: every group has exactly one
 *       leader that all its replicas follow; a fresh proposal to every group commits and is
 *       applied on all replicas; with quiescence on, every replica quiesces again.</li>
 * </ol>
 *
 * After every event — a tick or a fault — {@link ClusterInvariants} checks safety; at the end,
 * that nothing acknowledged was lost.
 */
final class EngineSimulation {
    private final RunShape shape;
    private final SplittableRandom random;
    private final LocalCluster cluster;
    private final Placement placement;
    private final ClusterInvariants invariants;
    private final FaultInjector faults;
    private final LivenessBounds bounds;
    private final EventTail tail = new EventTail(200);
    private long events;
    private long proposals;
    private long proposalSeq;
    /** The first group the last liveness condition failed on, described for the report. */
    private String lastFailing = "";

    EngineSimulation(long seed) {
        this(RunShape.draw(seed));
    }

    EngineSimulation(RunShape shape) {
        this.shape = shape;
        this.random = new SplittableRandom(shape.seed());
        this.cluster = LocalCluster.of(shape.nodes(), shape.seed(), shape::config);
        this.placement = Placement.random(shape.nodes(), shape.groups(), random);
        this.invariants = new ClusterInvariants(cluster, placement);
        this.faults = new FaultInjector(cluster, invariants, random, placement, shape.nodes(),
                shape.maxDelayTicks());
        this.bounds = LivenessBounds.of(cluster.node(1).config(), shape.maxDelayTicks());
        for (long g = 1; g <= shape.groups(); g++) {
            long group = g;
            cluster.createGroup(g, placement.nodesOf(g), n -> invariants.newRecorder(group, n));
        }
    }

    /** Runs the whole scenario; throws {@link EngineSimulationFailure} naming the seed if anything breaks. */
    RunResult run() {
        try {
            event("start: " + shape);
            chaos();
            faults.healAll(this::event);
            int recovery = tickUntil("every group has exactly one leader, followed by all its replicas",
                    bounds.leaderTicks(), this::stablyLed);
            int commit = freshProposalsCommit();
            int quiesce = shape.quiescence()
                    ? tickUntil("every replica of every group quiesced", bounds.quiesceTicks(), this::quiesced) : 0;
            invariants.nothingLost();
            return new RunResult(shape.seed(), shape.nodes(), shape.groups(), shape.quiescence(), events,
                    cluster.currentTick(), invariants.leaderships(), faults.crashes(), faults.restarts(),
                    faults.pauses(), faults.partitions(), proposals, invariants.acknowledgements(),
                    invariants.reads(), invariants.entriesChecked(), recovery, commit, quiesce, invariants.digest());
        } catch (EngineSimulationFailure f) {
            throw f;
        } catch (Throwable t) {
            throw new EngineSimulationFailure(shape, events, tail.render(), t);
        }
    }

    private void chaos() {
        for (int t = 0; t < shape.chaosTicks(); t++) {
            while (random.nextDouble() < shape.faultsPerTick()) {
                event(faults.injectOne());
            }
            int n = random.nextInt(shape.maxProposalsPerTick() + 1);
            for (int i = 0; i < n; i++) {
                proposeAtRandom();
            }
            n = random.nextInt(shape.maxProposalsPerTick() + 1);
            for (int i = 0; i < n; i++) {
                readAtRandom();
            }
            tick();
        }
    }

    /** One event: record it, then check every invariant. */
    private void event(String what) {
        events++;
        tail.add("#" + events + " " + what);
        invariants.afterEvent();
    }

    private void tick() {
        List<Long> running = faults.running();
        cluster.tick();
        for (long n : running) {
            if (!cluster.isAlive(n)) {
                faults.crashedInSync(n);
                tail.add("   node " + n + " lost power during a sync");
            }
        }
        event("tick " + cluster.currentTick());
    }

    private void proposeAtRandom() {
        long group = 1 + random.nextInt(shape.groups());
        List<Long> nodes = placement.nodesOf(group);
        long node = nodes.get(random.nextInt(nodes.size()));
        if (!cluster.isAlive(node)) {
            return;
        }
        propose(group, node, "g" + group + "#" + ++proposalSeq);
    }

    /** A linearizable read at a random replica; its read point is checked when it completes. */
    private void readAtRandom() {
        long group = 1 + random.nextInt(shape.groups());
        List<Long> nodes = placement.nodesOf(group);
        long node = nodes.get(random.nextInt(nodes.size()));
        if (!cluster.isAlive(node)) {
            return;
        }
        long floor = invariants.readFloor(group);
        tail.add("   read group " + group + " at node " + node + " (acknowledged up to " + floor + ")");
        cluster.node(node).readIndex(group).whenComplete((index, error) -> {
            if (error == null) {
                tail.add("   read of group " + group + " at node " + node + " at index " + index);
                invariants.readCompleted(group, node, index, floor);
            }
        });
    }

    private CompletableFuture<Long> propose(long group, long node, String data) {
        proposals++;
        tail.add("   propose '" + data + "' at node " + node);
        CompletableFuture<Long> f = cluster.node(node).propose(group, data.getBytes(StandardCharsets.ISO_8859_1));
        // Completes on this thread inside a tick; the check runs at that event's end.
        f.whenComplete((index, error) -> {
            if (error == null && index > 0) {
                tail.add("   ack '" + data + "' at index " + index + " on node " + node);
                invariants.acknowledged(group, node, index, data);
            }
        });
        return f;
    }

    /** Ticks until {@code done} holds, at most {@code bound} ticks; returns the ticks taken. */
    private int tickUntil(String what, int bound, BooleanSupplier done) {
        for (int t = 0; t <= bound; t++) {
            if (done.getAsBoolean()) {
                return t;
            }
            if (t < bound) {
                tick();
            }
        }
        throw new InvariantViolation("liveness: not within " + bound + " ticks of the heal: " + what
                + "; first failing " + lastFailing);
    }

    /** Every group has exactly one leader, and every replica knows it and shares its term. */
    private boolean stablyLed() {
        return allGroups(this::stablyLed);
    }

    private boolean stablyLed(long group) {
        GroupInfo leader = null;
        for (long n : placement.nodesOf(group)) {
            GroupInfo i = cluster.node(n).info(group);
            if (i.role() == StateRole.LEADER) {
                if (leader != null) {
                    return false;
                }
                leader = i;
            }
        }
        if (leader == null) {
            return false;
        }
        for (long n : placement.nodesOf(group)) {
            GroupInfo i = cluster.node(n).info(group);
            if (i.term() != leader.term() || i.leader() != leader.replicaId()) {
                return false;
            }
        }
        return true;
    }

    private int freshProposalsCommit() {
        List<CompletableFuture<Long>> fresh = new ArrayList<>();
        for (long g = 1; g <= shape.groups(); g++) {
            fresh.add(propose(g, leaderNode(g), "fresh-g" + g));
        }
        return tickUntil("a fresh proposal to every group commits and is applied on all its replicas",
                bounds.commitTicks(), () -> allGroups(g -> freshApplied(g, fresh)));
    }

    /**
     * Whether group {@code group}'s fresh proposal is applied on all its replicas. A dropped one
     * is proposed again at the leader, as a client would: a leadership transfer begun before the
     * heal refuses proposals until it completes or times out.
     */
    private boolean freshApplied(long group, List<CompletableFuture<Long>> fresh) {
        CompletableFuture<Long> f = fresh.get((int) group - 1);
        if (f.isCompletedExceptionally()) {
            tail.add("   fresh proposal to group " + group + " failed: " + f.handle((v, e) -> e).join());
            long leader = leaderNodeOrZero(group);
            if (leader != 0) {
                fresh.set((int) group - 1, propose(group, leader, "fresh-g" + group + "-again" + ++proposalSeq));
            }
            return false;
        }
        if (!f.isDone()) {
            return false;
        }
        for (long n : placement.nodesOf(group)) {
            if (invariants.recorder(group, n).lastIndex() < f.join()) {
                return false;
            }
        }
        return true;
    }

    private boolean quiesced() {
        return allGroups(g -> {
            for (long n : placement.nodesOf(g)) {
                if (!cluster.node(n).info(g).quiesced()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Whether {@code ok} holds for every group; tests them all (a test may act, e.g. retry). */
    private boolean allGroups(LongPredicate ok) {
        long firstFailing = 0;
        for (long g = 1; g <= shape.groups(); g++) {
            if (!ok.test(g) && firstFailing == 0) {
                firstFailing = g;
            }
        }
        if (firstFailing != 0) {
            lastFailing = describe(firstFailing);
        }
        return firstFailing == 0;
    }

    private String describe(long group) {
        StringBuilder s = new StringBuilder("group " + group + ":");
        for (long n : placement.nodesOf(group)) {
            NodeEngine e = cluster.node(n);
            s.append(" [node ").append(n).append(' ').append(e.info(group)).append(']');
        }
        return s.toString();
    }

    private long leaderNode(long group) {
        long n = leaderNodeOrZero(group);
        if (n == 0) {
            throw new IllegalStateException("group " + group + " has no leader");
        }
        return n;
    }

    private long leaderNodeOrZero(long group) {
        for (long n : placement.nodesOf(group)) {
            if (cluster.node(n).info(group).role() == StateRole.LEADER) {
                return n;
            }
        }
        return 0;
    }
}
