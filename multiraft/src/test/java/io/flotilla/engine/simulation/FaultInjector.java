package io.flotilla.engine.simulation;

import io.flotilla.engine.InMemoryTransport;
import io.flotilla.engine.LocalCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Draws and applies one seeded fault: lossy, duplicating, delaying networks; partitions of a
 * pair, one direction or a whole node, and their healing; crashes that lose unsynced writes
 * (between cycles, or inside a cycle's sync) and restarts; pauses that lose nothing but time;
 * leadership transfers and forced campaigns in a few groups. A node kept down longer than
 * livenessTimeoutTicks is declared dead by its peers, and returns when it restarts or resumes.
 */
final class FaultInjector {
    private final LocalCluster cluster;
    private final ClusterInvariants invariants;
    private final SplittableRandom random;
    private final Placement placement;
    private final int nodes;
    private final int maxDelayTicks;
    private long crashes;
    private long restarts;
    private long pauses;
    private long partitions;

    private enum Kind {
        NETWORK_FAULTS(3), CALM_NETWORK(2), CUT_PAIR(3), CUT_ONE_WAY(1), ISOLATE(1), HEAL_PAIR(2), HEAL_ALL(2),
        KILL(2), CRASH_IN_SYNC(2), RESTART(4), PAUSE(1), RESUME(2), TRANSFER_LEADERS(1), FORCE_CAMPAIGNS(1);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    FaultInjector(LocalCluster cluster, ClusterInvariants invariants, SplittableRandom random, Placement placement,
                  int nodes, int maxDelayTicks) {
        this.cluster = cluster;
        this.placement = placement;
        this.invariants = invariants;
        this.random = random;
        this.nodes = nodes;
        this.maxDelayTicks = maxDelayTicks;
    }

    /** Applies one fault; returns what it did, for the event history. */
    String injectOne() {
        List<Long> running = running();
        List<Long> killed = new ArrayList<>();
        List<Long> paused = new ArrayList<>();
        for (long n = 1; n <= nodes; n++) {
            if (cluster.isPaused(n)) {
                paused.add(n);
            } else if (!cluster.isAlive(n)) {
                killed.add(n);
            }
        }
        // Mostly keep a majority of nodes running, so the chaos still makes progress to check.
        boolean mayStop = running.size() > nodes / 2 + 1 || (!running.isEmpty() && random.nextInt(5) == 0);
        List<Kind> options = new ArrayList<>();
        int total = 0;
        for (Kind k : Kind.values()) {
            boolean possible = switch (k) {
                case KILL -> mayStop || !paused.isEmpty();
                case PAUSE, CRASH_IN_SYNC -> mayStop;
                case RESTART -> !killed.isEmpty();
                case RESUME -> !paused.isEmpty();
                default -> true;
            };
            if (possible) {
                options.add(k);
                total += k.weight;
            }
        }
        int pick = random.nextInt(total);
        for (Kind k : options) {
            pick -= k.weight;
            if (pick < 0) {
                return apply(k, mayStop ? running : List.of(), killed, paused);
            }
        }
        throw new AssertionError("unreachable");
    }

    /** {@code stoppable}: running nodes that may be stopped now (see the majority rule above). */
    private String apply(Kind kind, List<Long> stoppable, List<Long> killed, List<Long> paused) {
        InMemoryTransport net = cluster.transport();
        switch (kind) {
            case NETWORK_FAULTS -> {
                InMemoryTransport.Faults f = new InMemoryTransport.Faults(0.3 * random.nextDouble(),
                        0.15 * random.nextDouble(), random.nextInt(maxDelayTicks + 1));
                net.setFaults(f);
                return String.format("network faults: drop %.2f, duplicate %.2f, delay <=%d", f.drop(), f.duplicate(),
                        f.maxDelayTicks());
            }
            case CALM_NETWORK -> {
                net.setFaults(InMemoryTransport.Faults.NONE);
                return "network faults off";
            }
            case CUT_PAIR -> {
                long[] p = pair();
                net.cut(p[0], p[1]);
                partitions++;
                return "cut " + p[0] + " <-> " + p[1];
            }
            case CUT_ONE_WAY -> {
                long[] p = pair();
                net.cutOneWay(p[0], p[1]);
                partitions++;
                return "cut " + p[0] + " -> " + p[1] + " (one way)";
            }
            case ISOLATE -> {
                long n = node();
                net.isolate(n);
                partitions++;
                return "isolate node " + n;
            }
            case HEAL_PAIR -> {
                long[] p = pair();
                net.uncut(p[0], p[1]);
                return "heal " + p[0] + " <-> " + p[1];
            }
            case HEAL_ALL -> {
                net.healPartitions();
                return "heal all partitions";
            }
            case KILL -> {
                List<Long> candidates = new ArrayList<>(paused);
                candidates.addAll(stoppable);
                long n = candidates.get(random.nextInt(candidates.size()));
                cluster.kill(n);
                invariants.killed(n, true);
                crashes++;
                return "kill node " + n;
            }
            case CRASH_IN_SYNC -> {
                long n = stoppable.get(random.nextInt(stoppable.size()));
                cluster.store(n).crashAtNextSync(true);
                return "node " + n + " will lose power during its next sync";
            }
            case TRANSFER_LEADERS -> {
                StringBuilder s = new StringBuilder("transfer leadership of groups");
                for (int i = 1 + random.nextInt(10); i > 0; i--) {
                    long g = 1 + random.nextInt(placement.groups());
                    long to = placement.nodesOf(g).get(random.nextInt(Placement.REPLICAS));
                    for (long n : placement.nodesOf(g)) {
                        if (cluster.isAlive(n)) {
                            cluster.node(n).transferLeader(g, to); // only the leader acts on it
                        }
                    }
                    s.append(' ').append(g).append("->").append(to);
                }
                return s.toString();
            }
            case FORCE_CAMPAIGNS -> {
                StringBuilder s = new StringBuilder("force campaigns in groups");
                for (int i = 1 + random.nextInt(10); i > 0; i--) {
                    long g = 1 + random.nextInt(placement.groups());
                    long n = placement.nodesOf(g).get(random.nextInt(Placement.REPLICAS));
                    if (cluster.isAlive(n)) {
                        cluster.node(n).campaign(g);
                        s.append(' ').append(g).append('@').append(n);
                    }
                }
                return s.toString();
            }
            case RESTART -> {
                long n = killed.get(random.nextInt(killed.size()));
                cluster.restart(n);
                restarts++;
                return "restart node " + n;
            }
            case PAUSE -> {
                long n = stoppable.get(random.nextInt(stoppable.size()));
                cluster.pause(n);
                pauses++;
                return "pause node " + n;
            }
            case RESUME -> {
                long n = paused.get(random.nextInt(paused.size()));
                cluster.resume(n);
                return "resume node " + n;
            }
            default -> throw new AssertionError(kind);
        }
    }

    /**
     * Heals everything, one step at a time, reporting each step to {@code event} (which checks
     * the invariants): faults off, partitions healed, paused nodes resumed, killed ones restarted.
     */
    void healAll(Consumer<String> event) {
        for (long n = 1; n <= nodes; n++) {
            cluster.store(n).crashAtNextSync(false);
        }
        cluster.transport().setFaults(InMemoryTransport.Faults.NONE);
        event.accept("heal: network faults off");
        cluster.transport().healPartitions();
        event.accept("heal: all partitions");
        for (long n = 1; n <= nodes; n++) {
            if (cluster.isPaused(n)) {
                cluster.resume(n);
                event.accept("heal: resume node " + n);
            } else if (!cluster.isAlive(n)) {
                cluster.restart(n);
                restarts++;
                event.accept("heal: restart node " + n);
            }
        }
    }

    List<Long> running() {
        List<Long> out = new ArrayList<>();
        for (long n = 1; n <= nodes; n++) {
            if (cluster.isAlive(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private long node() {
        return 1 + random.nextInt(nodes);
    }

    private long[] pair() {
        long a = node();
        long b = 1 + random.nextInt(nodes - 1);
        if (b >= a) {
            b++;
        }
        return new long[] {a, b};
    }

    /** A node died by itself during a tick (a power failure during a sync). */
    void crashedInSync(long node) {
        invariants.killed(node, false);
        crashes++;
    }

    long crashes() {
        return crashes;
    }

    long restarts() {
        return restarts;
    }

    long pauses() {
        return pauses;
    }

    long partitions() {
        return partitions;
    }
}
