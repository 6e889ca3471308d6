package io.flotilla.raft.simulation;

import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.Raft;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One deterministic run, everything derived from one seed: a chaos phase of random events
 * (deliveries, Ready handling, ticks, client and operator requests, crashes, partitions),
 * then a recovery phase on a healed network that must elect a leader and apply a fresh
 * proposal on every voter within {@link #RECOVERY_ELECTION_TIMEOUTS} election timeouts.
 * Every invariant is checked after every event.
 */
final class RaftSimulation {
    /**
     * The recovery bound, in election timeouts. After healing, followers may sit in a leader
     * lease for one timeout and an election takes at most two more (the randomized timeout is
     * below 2 * electionTick); catch-up and snapshots happen in the message flow between ticks.
     * The slow cases are repeated elections: without pre-vote, a replica whose log is too old
     * to win keeps campaigning and restarting everyone's timer with a higher term, and each
     * round the electable replica times out first with a probability of about one half. A
     * 10,000-seed sweep recovered within 1 timeout in 79% of the runs, within 2 in 96%, and at
     * worst in 15.4; the bound is twice that worst case, so a cluster that is merely unlucky
     * passes and one that is stuck (every liveness bug found so far) fails.
     */
    static final int RECOVERY_ELECTION_TIMEOUTS = 30;

    /** Events a recovery round may take to deliver everything before it counts as a message storm. */
    private static final int MAX_EVENTS_PER_ROUND = 20_000;

    private enum Kind { DELIVER, READY, TICK_ALL, TICK_ONE, PROPOSE, READ_INDEX, CONF_CHANGE, TRANSFER, COMPACT,
        CRASH, RESTART, PARTITION, HEAL }

    private final long seed;
    private final SimulatedHost.Defect defect;
    private final SplittableRandom rng;
    private final SimulationParameters params;
    private final SimulationNetwork network;
    private final Workload workload;
    private final InvariantChecker checker = new InvariantChecker();
    private final EventHistory history = new EventHistory(50);
    private final TreeMap<Long, SimulatedHost> hosts = new TreeMap<>();
    private final Map<Long, Consumer<Message>> outboxes = new HashMap<>();
    private final ClusterObserver observer = new ClusterObserver(checker, hosts);
    /** Hosts the current event may have changed: their logs get the full scan. */
    private final List<SimulatedHost> touched = new ArrayList<>();

    private long now;
    private long proposalsAccepted;
    private long proposalsDropped;
    private long crashes;

    RaftSimulation(long seed, int chaosEvents) {
        this(seed, chaosEvents, SimulatedHost.Defect.NONE);
    }

    /** A run whose hosts all have {@code defect}: for checking that the checks catch it. */
    RaftSimulation(long seed, int chaosEvents, SimulatedHost.Defect defect) {
        this.seed = seed;
        this.defect = defect;
        this.rng = new SplittableRandom(seed);
        this.params = SimulationParameters.draw(rng, chaosEvents);
        this.network = new SimulationNetwork(rng.split(), params);
        this.workload = new Workload(rng.split(), params.poolSize());
        for (long id = 1; id <= params.initialVoters(); id++) {
            addHost(SimulatedHost.bootstrap(id, params.initialVoters(), raftConfig(id), rng.split(), defect));
        }
    }

    private RaftConfig raftConfig(long id) {
        return RaftConfig.builder(id)
                .electionTick(params.electionTick())
                .heartbeatTick(params.heartbeatTick())
                .preVote(params.preVote())
                .checkQuorum(params.checkQuorum())
                .maxInflightMsgs(params.maxInflightMsgs())
                .maxSizePerMsg(params.maxSizePerMsg())
                .maxUncommittedEntriesSize(params.maxUncommittedBytes())
                .randomSeed(rng.nextLong())
                .priority(params.priorities() ? rng.nextInt(3) : 0)
                .build();
    }

    private void addHost(SimulatedHost h) {
        hosts.put(h.id(), h);
        outboxes.put(h.id(), m -> {
            observer.onSend(h, m);
            network.send(m, now);
        });
        touched.add(h);
    }

    /** Runs the whole simulation; throws {@link SimulationFailure} with a replay recipe on any failure. */
    SimulationResult run() {
        int recoveryTicks;
        try {
            observe();
            for (int i = 0; i < params.chaosEvents(); i++) {
                chaosEvent();
            }
            recoveryTicks = recover();
        } catch (SimulationFailure f) {
            throw f;
        } catch (Throwable t) {
            throw new SimulationFailure(seed, history.count() - 1, history.render() + describeCluster(), t);
        }
        long installed = 0;
        long created = 0;
        for (SimulatedHost h : hosts.values()) {
            installed += h.snapshotsInstalled();
            created += h.snapshotsCreated();
        }
        return new SimulationResult(history.count(), checker.leadersElected(), checker.maxCommittedIndex(),
                proposalsAccepted, proposalsDropped, crashes, created, installed, checker.committedConfChanges(),
                observer.readsChecked(), network.sent(), network.dropped(), recoveryTicks, params.electionTick());
    }

    /** The replicas as they were when the run failed, for the report. */
    private String describeCluster() {
        StringBuilder s = new StringBuilder("replicas (").append(params).append("):\n");
        for (SimulatedHost h : hosts.values()) {
            s.append("  ").append(h);
            if (h.alive()) {
                s.append(' ').append(h.node().raft().tracker().config());
            }
            s.append(" durable ").append(h.durableHardState()).append(" snapshot@")
                    .append(h.storage().snapshot().index()).append('\n');
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- the chaos phase

    private void chaosEvent() {
        now++;
        SimulationParameters.EventWeights w = params.weights();
        List<SimulatedHost> live = liveHosts();
        List<SimulatedHost> down = new ArrayList<>();
        List<SimulatedHost> ready = new ArrayList<>();
        for (SimulatedHost h : hosts.values()) {
            if (!h.alive()) {
                down.add(h);
            } else if (h.hasReady()) {
                ready.add(h);
            }
        }
        int[] weight = new int[Kind.values().length];
        weight[Kind.DELIVER.ordinal()] = network.hasDeliverable(now) ? w.deliver() : 0;
        weight[Kind.READY.ordinal()] = ready.isEmpty() ? 0 : w.ready();
        boolean anyLive = !live.isEmpty();
        weight[Kind.TICK_ALL.ordinal()] = anyLive ? w.tickAll() : 0;
        weight[Kind.TICK_ONE.ordinal()] = anyLive ? w.tickOne() : 0;
        weight[Kind.PROPOSE.ordinal()] = anyLive ? w.propose() : 0;
        weight[Kind.READ_INDEX.ordinal()] = anyLive ? w.readIndex() : 0;
        weight[Kind.CONF_CHANGE.ordinal()] = anyLive ? w.confChange() : 0;
        weight[Kind.TRANSFER.ordinal()] = anyLive ? w.transfer() : 0;
        weight[Kind.COMPACT.ordinal()] = anyLive ? w.compact() : 0;
        weight[Kind.CRASH.ordinal()] = anyLive ? w.crash() : 0;
        weight[Kind.RESTART.ordinal()] = down.isEmpty() ? 0 : w.restart();
        weight[Kind.PARTITION.ordinal()] = network.partitioned() ? 0 : w.partition();
        weight[Kind.HEAL.ordinal()] = network.partitioned() ? w.heal() : 0;
        Kind kind = pick(weight);
        switch (kind) {
            case DELIVER -> deliver();
            case READY -> handleReady(pickFrom(ready));
            case TICK_ALL -> tickAll();
            case TICK_ONE -> tick(pickFrom(live));
            case PROPOSE -> propose(pickFrom(live), workload.nextProposal());
            case READ_INDEX -> readIndex(pickFrom(live));
            case CONF_CHANGE -> changeMembership();
            case TRANSFER -> transfer(pickFrom(live), workload.randomPoolId());
            case COMPACT -> compact(pickFrom(live));
            case CRASH -> crash(pickFrom(live));
            case RESTART -> restart(pickFrom(down));
            case PARTITION -> partition();
            case HEAL -> {
                network.healPartition();
                history.record("heal partition");
            }
        }
        observe();
    }

    private Kind pick(int[] weight) {
        int total = 0;
        for (int x : weight) {
            total += x;
        }
        int r = rng.nextInt(total);
        for (Kind k : Kind.values()) {
            r -= weight[k.ordinal()];
            if (r < 0) {
                return k;
            }
        }
        throw new IllegalStateException("no event kind");
    }

    private <T> T pickFrom(List<T> list) {
        return list.get(rng.nextInt(list.size()));
    }

    private List<SimulatedHost> liveHosts() {
        List<SimulatedHost> live = new ArrayList<>();
        for (SimulatedHost h : hosts.values()) {
            if (h.alive()) {
                live.add(h);
            }
        }
        return live;
    }

    // ---------------------------------------------------------------- events

    private void deliver() {
        SimulationNetwork.Delivery d = network.next(now);
        if (d == null) {
            return;
        }
        Message m = d.message();
        SimulatedHost to = hosts.get(m.to());
        if (d.lost()) {
            history.record("lost (partition)", m);
        } else if (to == null || !to.alive()) {
            history.record("lost (", m.to(), "down)", m);
            if (!m.type().isLocal()) {
                network.failed(m, now);
            }
        } else {
            history.record("deliver", m);
            switch (m.type()) {
                case SNAPSHOT_STATUS -> to.reportSnapshot(m.from(), !m.reject());
                case UNREACHABLE -> to.reportUnreachable(m.from());
                default -> to.step(m);
            }
            network.delivered(m, now);
            touched.add(to);
        }
    }

    private void handleReady(SimulatedHost h) {
        history.record("ready", h.id());
        h.handleReady(outboxes.get(h.id()), params.syncEveryReady() || rng.nextInt(4) == 0);
        touched.add(h);
    }

    private void tickAll() {
        history.record("tick all");
        for (SimulatedHost h : liveHosts()) {
            h.tick();
            touched.add(h);
        }
    }

    private void tick(SimulatedHost h) {
        history.record("tick", h.id());
        h.tick();
        touched.add(h);
    }

    private boolean propose(SimulatedHost h, byte[] data) {
        touched.add(h);
        try {
            h.propose(data);
            proposalsAccepted++;
            history.record("propose at", h.id(), new String(data, StandardCharsets.UTF_8));
            return true;
        } catch (ProposalDroppedException e) {
            proposalsDropped++;
            history.record("propose at", h.id(), new String(data, StandardCharsets.UTF_8), "dropped:", e.reason());
            return false;
        }
    }

    private void readIndex(SimulatedHost h) {
        byte[] ctx = workload.nextReadContext();
        checker.readRequested(ctx);
        history.record("read index at", h.id(), new String(ctx, StandardCharsets.UTF_8));
        h.readIndex(ctx);
        touched.add(h);
    }

    private void changeMembership() {
        List<SimulatedHost> leaders = new ArrayList<>();
        for (SimulatedHost h : liveHosts()) {
            if (h.node().raft().role() == StateRole.LEADER) {
                leaders.add(h);
            }
        }
        if (leaders.isEmpty()) {
            history.record("conf change: no leader");
            return;
        }
        SimulatedHost leader = pickFrom(leaders);
        ConfChange cc = workload.membershipChange(leader.node().raft());
        if (cc == null) {
            history.record("conf change at", leader.id(), ": nothing valid");
            return;
        }
        for (ConfChangeSingle c : cc.changes()) {
            if (!hosts.containsKey(c.nodeId())) {
                // A new member starts with empty storage and learns everything from the leader.
                addHost(SimulatedHost.joining(c.nodeId(), raftConfig(c.nodeId()), rng.split(), defect));
            }
        }
        try {
            leader.proposeConfChange(cc);
            history.record("conf change at", leader.id(), cc);
        } catch (ProposalDroppedException e) {
            history.record("conf change at", leader.id(), cc, "dropped:", e.reason());
        }
        touched.add(leader);
    }

    private void transfer(SimulatedHost h, long to) {
        history.record("transfer leader at", h.id(), "to", to);
        h.transferLeader(to);
        touched.add(h);
    }

    private void compact(SimulatedHost h) {
        boolean did = h.compact();
        history.record("compact", h.id(), did ? "to snapshot " + h.storage().snapshot().index()
                + " first " + h.storage().firstIndex() : "(nothing new applied)");
        touched.add(h);
    }

    private void crash(SimulatedHost h) {
        SimulatedHost.CrashPoint point = SimulatedHost.CrashPoint.values()[rng.nextInt(3)];
        history.record("crash", h.id(), point);
        h.crash(point, outboxes.get(h.id()));
        crashes++;
    }

    private void restart(SimulatedHost h) {
        boolean appliedFromSnapshot = rng.nextBoolean();
        h.restart(rng.nextLong(), appliedFromSnapshot);
        history.record("restart", h.id(), appliedFromSnapshot ? "(applied = snapshot)" : "(applied = 0)",
                h.toString()); // rendered now: the host changes later
        touched.add(h);
    }

    private void partition() {
        List<Long> ids = new ArrayList<>(hosts.keySet());
        int size = 1 + rng.nextInt(Math.max(1, ids.size() / 2));
        List<Long> side = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            side.add(ids.remove(rng.nextInt(ids.size())));
        }
        network.partition(side);
        history.record("partition", network.partitionSide(), "from the rest");
    }

    // ---------------------------------------------------------------- observation

    /** Runs every invariant check against the state after the event just executed. */
    private void observe() {
        observer.observe(touched);
        touched.clear();
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Heals the network, restarts every crashed host, then ticks all hosts together, letting
     * the messages of each tick settle, until a leader is elected and a fresh proposal is
     * applied on every voter of its configuration. Returns the ticks that took.
     */
    private int recover() {
        network.heal();
        history.record("heal everything");
        for (SimulatedHost h : hosts.values()) {
            if (!h.alive()) {
                now++;
                restart(h);
                observe();
            }
        }
        int maxTicks = RECOVERY_ELECTION_TIMEOUTS * params.electionTick();
        byte[] probe = ("probe-" + seed).getBytes(StandardCharsets.UTF_8);
        observer.watchFor(probe);
        long proposedInTerm = -1;
        for (int tick = 0; tick <= maxTicks; tick++) {
            settle();
            SimulatedHost leader = currentLeader();
            if (leader != null) {
                Raft r = leader.node().raft();
                if (observer.watchedIndex() > 0 && appliedOnAllVoters(r, observer.watchedIndex())) {
                    return tick;
                }
                if (observer.watchedIndex() == 0 && proposedInTerm != r.term()) {
                    // Propose (again) under each new leader: an earlier attempt may have been lost.
                    now++;
                    if (propose(leader, probe)) {
                        proposedInTerm = r.term();
                    }
                    observe();
                    settle();
                }
            }
            now++;
            tickAll();
            observe();
        }
        SimulatedHost leader = currentLeader();
        throw new InvariantViolation("liveness: after healing, " + maxTicks + " ticks (" + RECOVERY_ELECTION_TIMEOUTS
                + " election timeouts) did not " + (leader == null ? "elect a leader"
                : "apply a fresh proposal on every voter of " + leader.node().raft().tracker().config())
                + "; nodes: " + hosts.values());
    }

    /** Delivers every message and handles every Ready until the cluster is quiet. */
    private void settle() {
        for (int i = 0; i < MAX_EVENTS_PER_ROUND; i++) {
            now++;
            if (network.hasDeliverable(now)) {
                deliver();
            } else {
                SimulatedHost ready = null;
                for (SimulatedHost h : hosts.values()) {
                    if (h.hasReady()) {
                        ready = h;
                        break;
                    }
                }
                if (ready == null) {
                    if (network.inFlightCount() == 0) {
                        return;
                    }
                    continue; // messages delayed during the chaos phase are still on their way
                }
                handleReady(ready);
            }
            observe();
        }
        throw new InvariantViolation("liveness: the healed cluster did not quiesce within " + MAX_EVENTS_PER_ROUND
                + " events of one tick (message storm?)");
    }

    private SimulatedHost currentLeader() {
        SimulatedHost best = null;
        for (SimulatedHost h : hosts.values()) {
            Raft r = h.node().raft();
            if (r.role() == StateRole.LEADER && (best == null || r.term() > best.node().raft().term())) {
                best = h;
            }
        }
        return best;
    }

    private boolean appliedOnAllVoters(Raft leader, long index) {
        for (long v : leader.tracker().config().voters().ids()) {
            SimulatedHost h = hosts.get(v);
            if (h == null || !h.alive() || h.node().raft().log().applied() < index) {
                return false;
            }
        }
        return true;
    }
}
