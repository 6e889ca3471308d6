package io.flotilla.engine;

import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.RawNode;
import io.flotilla.raft.Ready;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.quorum.JointConfig;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * All Raft groups of one node. It owns no thread: a clock calls {@link #tick()}, the network
 * calls {@link #receive(Envelope)}, and workers call {@link #processCycle(int)}; a simulation
 * calls the same methods from one thread in a seeded order ({@link EngineRuntime} runs them
 * for real).
 *
 * <p>A cycle takes many groups with work and, for all of them together: steps their inbox,
 * ticks them, collects their Readies, writes every entry and hard state in ONE storage batch
 * with at most ONE sync, sends one envelope per destination node, applies committed entries
 * and advances.</p>
 *
 * <p>A group is ticked only when it runs, through the ticks it skipped ({@link GroupClock});
 * network threads only record liveness and queue what arrives, and the workers fan envelopes
 * out to the groups; a peer's death is judged by the workers, waking only the groups that must
 * act ({@link PeerDeaths}).</p>
 */
public final class NodeEngine {
    private final EngineConfig config;
    private final LogStore logStore;
    private final MessageSender sender;
    private final Map<Long, Group> groups = new ConcurrentHashMap<>();
    private final WorkScheduler scheduler = new WorkScheduler();
    private final TickWheel wheel = new TickWheel();
    private final NodeLiveness liveness;
    private final EngineMetrics metrics = new EngineMetrics();
    private final AtomicLong tickCount = new AtomicLong();
    private final HeartbeatCoalescer heartbeats;
    /** Envelopes received and not yet handed to their groups (that is a worker's job). */
    private final ConcurrentLinkedQueue<Envelope> inbound = new ConcurrentLinkedQueue<>();
    private final GroupClock clock;
    private final PeerDeaths peerDeaths;
    /** Route tables shared by every group placed alike; bounded, past it groups keep their own. */
    private final Map<RouteTable, RouteTable> routeTables = new ConcurrentHashMap<>();
    /** Raft settings by replica id: the applied index and seed of each replica are given apart. */
    private final Map<Long, RaftConfig> raftConfigs = new ConcurrentHashMap<>();
    private static final int MAX_SHARED_ROUTE_TABLES = 4096;
    /** The engine tick at which the clock last lost time (see {@link #clockSlipped()}). */
    private volatile long lastClockSlip = Long.MIN_VALUE / 4;
    private volatile Runnable workListener = () -> { };
    private final OrphanMessages orphans = new OrphanMessages();

    /** A command run on a group's RawNode by the worker that holds it. */
    private record Command(Consumer<Group> action) {
    }

    /** Asks a follower to quiesce: carried as a heartbeat item with the quiesce flag. */
    private record QuiesceRequest(HeartbeatItem item) {
    }

    public NodeEngine(EngineConfig config, LogStore logStore, MessageSender sender) {
        this.config = config;
        this.logStore = logStore;
        this.sender = sender;
        this.liveness = new NodeLiveness(config.nodeId(), config.livenessTimeoutTicks());
        this.heartbeats = new HeartbeatCoalescer(config.nodeId());
        this.clock = new GroupClock(config, metrics, wheel);
        this.peerDeaths = new PeerDeaths(config, liveness, metrics, () -> groups.values().toArray(new Group[0]),
                (g, action) -> enqueue(g, new Command(action)));
    }

    public long nodeId() {
        return config.nodeId();
    }

    public EngineConfig config() {
        return config;
    }

    /** Called whenever a group gets work, so an idle worker pool can wake up. */
    public void setWorkListener(Runnable listener) {
        this.workListener = listener;
    }

    // ---------------------------------------------------------------- registry

    /**
     * Hosts replica {@code replicaId} of group {@code groupId} here. {@code replicaNodes} maps
     * every member replica to its node. The group starts awake and campaigns on its own timer.
     */
    public void createGroup(long groupId, long replicaId, Map<Long, Long> replicaNodes, GroupStateMachine sm) {
        if (groups.containsKey(groupId)) {
            throw new IllegalArgumentException("group " + groupId + " already exists on node " + nodeId());
        }
        Long home = replicaNodes.get(replicaId);
        if (home == null || home != nodeId()) {
            throw new IllegalArgumentException("replica " + replicaId + " of group " + groupId + " is not on node "
                    + nodeId());
        }
        RouteTable routes = share(RouteTable.of(replicaNodes));
        // Every replica gets its own timeout sequence: groups must not time out in lockstep.
        RawNode node = new RawNode(raftConfig(replicaId), logStore.storage(groupId), sm.appliedIndex(),
                mix(config.seed(), groupId, replicaId));
        Group g = new Group(groupId, replicaId, node, sm, routes);
        clock.start(g, tickCount.get());
        publish(g);
        groups.put(groupId, g);
        addPeers(replicaNodes.values());
        schedule(g);
        replayOrphans(g);
    }

    public void removeGroup(long groupId) {
        Group g = groups.remove(groupId);
        if (g != null) {
            g.removed = true;
            logStore.remove(groupId);
        }
    }

    public boolean hasGroup(long groupId) {
        return groups.containsKey(groupId);
    }

    public int groupCount() {
        return groups.size();
    }

    /** The Raft settings of replica {@code replicaId}, one object for every group where it has that id. */
    private RaftConfig raftConfig(long replicaId) {
        RaftConfig c = raftConfigs.get(replicaId);
        if (c != null) {
            return c;
        }
        c = RaftConfig.builder(replicaId).electionTick(config.electionTick()).heartbeatTick(config.heartbeatTick())
                .preVote(config.preVote()).checkQuorum(config.checkQuorum()).build();
        if (raftConfigs.size() < MAX_SHARED_ROUTE_TABLES) { // replica ids may be unique per group: bounded
            RaftConfig known = raftConfigs.putIfAbsent(replicaId, c);
            return known != null ? known : c;
        }
        return c;
    }

    private RouteTable share(RouteTable t) {
        if (routeTables.size() >= MAX_SHARED_ROUTE_TABLES) {
            RouteTable known = routeTables.get(t);
            return known != null ? known : t;
        }
        RouteTable known = routeTables.putIfAbsent(t, t);
        return known != null ? known : t;
    }

    private void addPeers(Iterable<Long> nodes) {
        long now = tickCount.get();
        for (long n : nodes) {
            if (n != nodeId()) {
                liveness.addPeer(n, now);
            }
        }
    }

    // ---------------------------------------------------------------- requests

    /**
     * Proposes a command; the future completes with the entry's index once it is applied here,
     * or fails with {@link ProposalDroppedException} (or {@link IllegalStateException} when a
     * new leader overwrote it).
     */
    public CompletableFuture<Long> propose(long groupId, byte[] data) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        Group g = groups.get(groupId);
        if (g == null) {
            f.completeExceptionally(noGroup(groupId));
            return f;
        }
        enqueue(g, new Group.Proposal(Entry.normal(0, 0, data), f));
        return f;
    }

    /**
     * A linearizable read point (Raft thesis §6.4): completes with an index once this replica
     * has applied it and the leader has confirmed, after this call, that it still leads. Reading
     * the state machine then observes every write acknowledged before the call.
     */
    public CompletableFuture<Long> readIndex(long groupId) {
        return read(groupId, false);
    }

    /**
     * The same contract as {@link #readIndex(long)}, served without a heartbeat round when this
     * replica leads under a valid lease (Raft thesis §6.4.1; {@link RawNode#leaseReadIndex}):
     * check-quorum is on, a quorum of voters answered within the election timeout less
     * {@link EngineConfig#leaseSafetyMarginTicks()}, an entry of the leader's term has
     * committed, and this node's clock has not lost time within the last election timeout.
     * Otherwise it takes the ReadIndex path. A quiesced leader counted no time while asleep, so
     * it holds no lease: the request wakes it and confirms leadership by a round.
     *
     * <p>The lease assumes clocks that run at the same rate within the margin, and answers that
     * arrive within it; a follower's lease is cut short when its node declares the leader's node
     * dead, which the engine allows for when the liveness timeout is shorter than the election
     * timeout. Use {@link #readIndex(long)} where that is not acceptable.</p>
     */
    public CompletableFuture<Long> leaseRead(long groupId) {
        return read(groupId, true);
    }

    private CompletableFuture<Long> read(long groupId, boolean lease) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        Group g = groups.get(groupId);
        if (g == null) {
            f.completeExceptionally(noGroup(groupId));
            return f;
        }
        enqueue(g, new Command(x -> {
            if (lease) {
                long index = leaseReadIndex(x);
                if (index >= 0) {
                    metrics.leaseReads.increment();
                    x.awaitApply(index, f);
                    x.releaseReads(x.node.raft().log().applied());
                    return;
                }
                metrics.leaseFallbacks.increment();
            }
            startReadIndex(x, f);
        }));
        return f;
    }

    private long leaseReadIndex(Group g) {
        if (!config.leaseReads() || g.quiesced || tickCount.get() - lastClockSlip < config.electionTick()) {
            return -1;
        }
        // A follower forgets its leader, and so its lease, when its node declares the leader's
        // node dead: with a liveness timeout shorter than the election timeout that comes first.
        // The lease is counted in this replica's ticks, which may trail real time: a worker may
        // be up to maxTickDebt ticks behind the clock without a slip being reported (and the
        // read is judged before the group's due ticks are delivered), the ticker may burst a
        // late tick, and a follower judged late over-counts its own timer by as much. Each of
        // those shortens the lease by a tick or more (found in review, shown by LeaseReadEngineTest).
        // And the leader stamps an answer when it steps it, which for a routine heartbeat answer
        // may be a heartbeat interval after it arrived (see fanOut).
        int clockLag = config.maxTickDebt() + 2;
        int margin = config.leaseSafetyMarginTicks() + clockLag + config.heartbeatTick()
                + Math.max(0, config.electionTick() - config.livenessTimeoutTicks());
        return g.node.leaseReadIndex(margin);
    }

    private void startReadIndex(Group x, CompletableFuture<Long> f) {
        if (x.node.raft().role() != StateRole.LEADER && x.node.raft().lead() == 0) {
            f.completeExceptionally(new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER, 0,
                    "no leader to confirm a read"));
            return;
        }
        byte[] ctx = ByteBuffer.allocate(16).putLong(x.replicaId).putLong(++x.readSeq).array();
        x.awaitReadState(ByteBuffer.wrap(ctx), f);
        x.node.readIndex(ctx);
    }

    /** Starts an election in the group now. */
    public void campaign(long groupId) {
        command(groupId, g -> g.node.campaign());
    }

    /** Asks the group's leader (if here) to hand leadership to replica {@code to}. */
    public void transferLeader(long groupId, long to) {
        command(groupId, g -> g.node.transferLeader(to));
    }

    /**
     * Proposes a membership change. {@code routes} gives the node of every replica it adds; it
     * travels in the entry so every member learns where the new replica lives.
     */
    public CompletableFuture<Long> changeMembership(long groupId, ConfChange cc, Map<Long, Long> routes) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        Group g = groups.get(groupId);
        if (g == null) {
            f.completeExceptionally(noGroup(groupId));
            return f;
        }
        ConfChange withRoutes = new ConfChange(cc.transition(), cc.changes(), ReplicaRoutes.encode(routes));
        enqueue(g, new Group.Proposal(withRoutes.toEntry(), f));
        return f;
    }

    private IllegalArgumentException noGroup(long groupId) {
        return new IllegalArgumentException("no group " + groupId + " on node " + nodeId());
    }

    private void command(long groupId, Consumer<Group> action) {
        Group g = groups.get(groupId);
        if (g != null) {
            enqueue(g, new Command(action));
        }
    }

    // ---------------------------------------------------------------- the network

    /**
     * Delivers an envelope from a peer. Safe from any thread, and cheap: it records that the
     * peer is alive and queues the envelope; a worker hands its items to their groups.
     */
    public void receive(Envelope env) {
        liveness.heard(env.fromNode(), tickCount.get());
        if (!env.isEmpty()) {
            inbound.add(env);
            workListener.run();
        }
    }

    /** Hands every item of an envelope to its group's inbox: one scheduler pass for the whole batch. */
    private void fanOut(Envelope env) {
        for (GroupMessage gm : env.messages()) {
            deliver(gm.groupId(), gm.message());
        }
        for (HeartbeatItem hb : env.heartbeats()) {
            Group g = groups.get(hb.groupId());
            if (g == null) {
                metrics.droppedForUnknownGroup.increment();
            } else if (hb.quiesce()) {
                enqueue(g, new QuiesceRequest(hb));
            } else {
                enqueue(g, Message.builder(MessageType.HEARTBEAT).from(hb.from()).to(hb.to()).term(hb.term())
                        .commit(hb.commit()).build());
            }
        }
        for (HeartbeatItem hb : env.heartbeatResponses()) {
            Group g = groups.get(hb.groupId());
            if (g == null) {
                metrics.droppedForUnknownGroup.increment();
                continue;
            }
            Message m = Message.builder(MessageType.HEARTBEAT_RESPONSE).from(hb.from()).to(hb.to()).term(hb.term())
                    .build();
            if (g.quiesced) {
                enqueue(g, m); // runs it without waking it, so the inbox of a sleeping group empties
            } else {
                // An awake group's routine answers wait for its next turn: they arrive a tick after
                // its heartbeats and its next one is at most a heartbeat interval away, where they
                // are stepped before the tick that sends again or checks the quorum. Running the
                // group for them alone would double a leader's work.
                g.offer(m);
                if (g.quiesced) {
                    schedule(g); // it fell asleep meanwhile: run it, unwoken, so its inbox empties
                }
            }
        }
    }

    private void deliver(long groupId, Message m) {
        Group g = groups.get(groupId);
        if (g == null) {
            keepOrphan(groupId, m);
            return;
        }
        enqueue(g, m);
    }

    private void keepOrphan(long groupId, Message m) {
        metrics.droppedForUnknownGroup.increment();
        orphans.keep(groupId, m);
        // The group may have been created meanwhile: then hand the message over now.
        Group g = groups.get(groupId);
        if (g != null) {
            replayOrphans(g);
        }
    }

    private void replayOrphans(Group g) {
        List<Message> early = orphans.take(g.groupId);
        if (early != null) {
            early.forEach(m -> enqueue(g, m));
        }
    }

    private void enqueue(Group g, Object item) {
        g.offer(item);
        if (g.quiesced && !(item instanceof QuiesceRequest) && !isHeartbeatResponse(item)) {
            wake(g);
        }
        schedule(g);
    }

    private static boolean isHeartbeatResponse(Object item) {
        return item instanceof Message m && m.type() == MessageType.HEARTBEAT_RESPONSE;
    }

    /** Safe from any thread; the worker restarts the group's clock when it next runs it. */
    private void wake(Group g) {
        if (g.quiesced) {
            metrics.wakes.increment();
            g.quiesced = false;
        }
    }

    private void schedule(Group g) {
        scheduler.schedule(g);
        workListener.run();
    }

    // ---------------------------------------------------------------- the clock

    /**
     * One tick of the node's clock: groups with something due now are queued, liveness is
     * judged, and the coalesced heartbeats gathered since the last tick go out (one envelope
     * per peer, which doubles as the liveness ping).
     *
     * <p>The clock waits for the workers: while they are more than
     * {@link EngineConfig#maxTickDebt()} ticks behind it (a starved CPU, more work than they can
     * do), time stands still and only the heartbeats go out. A clock that ran on would time out
     * followers whose leader's heartbeats sit in a queue here, and declare peers dead whose
     * envelopes wait to be read: an overloaded node would start the very storm it cannot
     * afford. Time lost this way counts as a slip ({@link #clockSlipped()}).</p>
     */
    public void tick() {
        if (tickCount.get() - scheduler.reachedTick() > config.maxTickDebt()) {
            clockSlipped();
            heartbeats.flush(liveness.peers(), sender, metrics);
            return;
        }
        long now = tickCount.incrementAndGet();
        metrics.ticks.increment();
        wheel.advance(now, this::schedule);
        if (scheduler.mark(now)) {
            workListener.run();
        }
        NodeLiveness.Changes changes = liveness.onTick(now);
        for (long dead : changes.died()) {
            // Judged by the workers, a slice at a time: this thread must keep time.
            peerDeaths.declared(dead, now);
            workListener.run();
        }
        heartbeats.flush(liveness.peers(), sender, metrics);
        orphans.onTick(now);
    }

    /**
     * The clock lost time: the host could not tick for longer than a tick (a stall, a starved
     * CPU) and dropped the ticks it missed. Leases counted in ticks may then be older than they
     * look, so none is trusted until an election timeout of ticks has passed.
     */
    public void clockSlipped() {
        lastClockSlip = tickCount.get();
        metrics.clockSlips.increment();
    }

    public long currentTick() {
        return tickCount.get();
    }

    // ---------------------------------------------------------------- the Ready cycle

    /**
     * One worker cycle: hands received envelopes to their groups, judges a slice of a pending
     * death sweep, then processes up to {@code maxGroups} groups with work. Returns how much it
     * did (0 when there was nothing).
     */
    public int processCycle(int maxGroups) {
        int did = 0;
        Envelope env;
        while ((env = inbound.poll()) != null) {
            fanOut(env);
            did++;
        }
        did += peerDeaths.runSlice();
        List<Group> batch = new ArrayList<>(Math.min(maxGroups, 64));
        did += scheduler.take(batch, maxGroups);
        if (batch.isEmpty()) {
            return did;
        }
        long now = tickCount.get();
        Outbox outbox = new Outbox(nodeId(), heartbeats, config.coalesce());
        List<Group> readyGroups = new ArrayList<>(batch.size());
        List<Ready> readies = new ArrayList<>(batch.size());
        for (Group g : batch) {
            if (g.removed) {
                continue;
            }
            // Ticks the group skipped passed before whatever is in its inbox; a tick that makes
            // something happen (a timeout, a heartbeat) comes after it, so a heartbeat waiting
            // there still counts before the election timer is judged.
            long dueTicks = clock.catchUp(g, now);
            if (drainInbox(g, outbox)) {
                g.idleTicks = 0;
            }
            // Decide before ticking: a group that may quiesce sends no more heartbeats.
            if (dueTicks > 0 && !maybeQuiesce(g)) {
                clock.deliver(g, dueTicks);
            }
            LeaderLossPlan plan = g.leaderLoss;
            if (!g.quiesced && plan != null && plan.campaigns() && now >= plan.campaignAt()) {
                // Another replica may have won meanwhile, or be winning with our vote: then there
                // is nothing to do. Otherwise see LeaderLossPlan.shouldCampaign.
                var raft = g.node.raft();
                if (plan.shouldCampaign(raft.role(), raft.term(), raft.lead(), raft.tracker().rejectedVotes())) {
                    g.node.campaign();
                    g.leaderLoss = plan.afterAttempt();
                } else {
                    g.leaderLoss = null;
                }
            }
            if (g.node.hasReady()) {
                readyGroups.add(g);
                readies.add(g.node.ready());
            }
        }
        if (!readyGroups.isEmpty()) {
            persistAndSend(readyGroups, readies, outbox);
            for (int i = 0; i < readyGroups.size(); i++) {
                applyAndAdvance(readyGroups.get(i), readies.get(i));
            }
        } else {
            flush(outbox);
        }
        for (Group g : batch) {
            HeartbeatItem offer = g.quiesceOffer;
            if (offer != null) {
                g.quiesceOffer = null;
                acceptQuiesceIfAgreed(g, offer);
            }
        }
        metrics.readyCycles.increment();
        metrics.groupsInCycles.add(batch.size());
        for (Group g : batch) {
            if (!g.removed) {
                publish(g);
                clock.fileNext(g);
            }
            scheduler.done(g);
            if (!g.removed && g.node.hasReady()) {
                schedule(g);
            }
        }
        return did;
    }

    /** Processes cycles until no group has work: how a simulation drives a node. */
    public void runUntilIdle() {
        int guard = 0;
        while (processCycle(config.maxGroupsPerCycle()) > 0) {
            if (++guard > 1_000_000) {
                throw new IllegalStateException("node " + nodeId() + " never became idle");
            }
        }
    }

    public boolean hasWork() {
        return !scheduler.isEmpty() || !inbound.isEmpty() || peerDeaths.hasWork();
    }

    /** Steps everything in the inbox; returns whether any of it was more than routine heartbeat traffic. */
    private boolean drainInbox(Group g, Outbox outbox) {
        boolean active = false;
        for (Group.Mail mail = g.takeMail(); mail != null; mail = mail.next) {
            Object item = mail.item;
            if (item instanceof Message m) {
                if (m.type() != MessageType.HEARTBEAT && m.type() != MessageType.HEARTBEAT_RESPONSE) {
                    active = true;
                }
                g.node.step(m);
            } else if (item instanceof Group.Proposal p) {
                active = true;
                propose(g, p);
            } else if (item instanceof Command c) {
                active = true;
                c.action().accept(g);
            } else if (item instanceof QuiesceRequest q) {
                // The request is also the leader's last heartbeat: step it now (it may raise our
                // commit), and judge the request once this cycle has applied and advanced. Judged
                // here, a heartbeat drained just before it would leave a Ready pending and the
                // follower would refuse, staying awake under a quiesced leader until its election
                // timer fired.
                HeartbeatItem hb = q.item();
                g.node.step(Message.builder(MessageType.HEARTBEAT).from(hb.from()).to(hb.to()).term(hb.term())
                        .commit(hb.commit()).build());
                g.quiesceOffer = hb;
            }
        }
        return active;
    }

    private void propose(Group g, Group.Proposal p) {
        try {
            g.node.propose(List.of(p.entry()));
        } catch (ProposalDroppedException e) {
            p.future().completeExceptionally(e);
            return;
        }
        var raft = g.node.raft();
        if (raft.role() == StateRole.LEADER) {
            g.pending().put(raft.log().lastIndex(), new Group.PendingProposal(raft.term(), p.future()));
        } else {
            // Forwarded to the leader: this node cannot tell when (or whether) it lands.
            p.future().complete(0L);
        }
    }

    /**
     * Quiescence (CockroachDB's idea): a leader whose group is idle — nothing pending, every
     * member holds the whole log, everything committed is applied — stops ticking and tells its
     * followers to stop too. Nothing is lost: any message, proposal or node death wakes it. A
     * leader whose live voters are not a quorum stays awake, so check-quorum can depose it: it
     * was woken for that (see {@link PeerDeaths}), and falling asleep again would keep it leader.
     */
    private boolean maybeQuiesce(Group g) {
        var raft = g.node.raft();
        if (!config.quiescence() || raft.role() != StateRole.LEADER || g.idleTicks < config.quiesceAfterIdleTicks()) {
            return false;
        }
        long last = raft.log().lastIndex();
        if (g.hasPending() || g.hasMail() || raft.log().committed() != last
                || raft.log().applied() != last || raft.leadTransferee() != 0 || raft.hasPendingReads()
                || raft.tracker().config().voters().isJoint() || g.node.hasReady()
                || !liveness.quorumLive(raft.tracker().config().voters(), g.routes)) {
            return false;
        }
        boolean[] allMatch = {true};
        raft.tracker().forEach((member, p) -> allMatch[0] &= p.match() == last);
        if (!allMatch[0]) {
            return false;
        }
        raft.tracker().forEach((member, p) -> {
            if (member != g.replicaId) {
                heartbeats.heartbeat(g.nodeOf(member),
                        new HeartbeatItem(g.groupId, g.replicaId, member, raft.term(), last, true));
            }
        });
        quiesce(g);
        return true;
    }

    /**
     * A follower quiesces only if it agrees on term, leader and log, with everything applied;
     * otherwise the request was just a heartbeat (already stepped when it was drained).
     */
    private void acceptQuiesceIfAgreed(Group g, HeartbeatItem hb) {
        var raft = g.node.raft();
        boolean agrees = raft.term() == hb.term() && raft.lead() == hb.from() && raft.role() == StateRole.FOLLOWER
                && raft.log().committed() == hb.commit() && raft.log().lastIndex() == hb.commit()
                && raft.log().applied() == hb.commit() && !g.node.hasReady();
        if (agrees && config.quiescence()) {
            quiesce(g);
        }
    }

    private void quiesce(Group g) {
        if (!g.quiesced) {
            metrics.quiesces.increment();
        }
        clock.stop(g);
        g.quiesced = true;
        // A wake may have raced with us: if work arrived, stay awake.
        if (g.hasMail()) {
            wake(g);
        }
    }

    private void persistAndSend(List<Group> readyGroups, List<Ready> readies, Outbox outbox) {
        boolean sync = false;
        LogStore.WriteBatch batch = logStore.newBatch();
        for (int i = 0; i < readyGroups.size(); i++) {
            Group g = readyGroups.get(i);
            Ready rd = readies.get(i);
            sync |= rd.mustSync();
            if (rd.snapshot() != null) {
                batch.applySnapshot(g.groupId, rd.snapshot());
            }
            batch.append(g.groupId, rd.entries());
            if (rd.hardState() != null) {
                batch.setHardState(g.groupId, rd.hardState());
            }
        }
        for (int i = 0; i < readyGroups.size(); i++) {
            route(readyGroups.get(i), readies.get(i).messages(), outbox);
        }
        if (sync) {
            // A leader's appends may leave before its own write is durable (thesis §10.2.1).
            flush(outbox);
        }
        // A snapshot goes into the state machine before the log records it: a crash between the
        // two leaves a state machine ahead of its log, which the host can finish at load (it has
        // the snapshot's index, term and configuration); the other order would leave a log that
        // starts after the snapshot over a state machine that never had it, and nothing to
        // rebuild it from.
        for (int i = 0; i < readyGroups.size(); i++) {
            Snapshot snap = readies.get(i).snapshot();
            if (snap != null) {
                readyGroups.get(i).stateMachine.restore(snap);
            }
        }
        if (!batch.isEmpty()) {
            batch.commit(sync);
            if (sync) {
                metrics.syncs.increment();
            }
        }
        for (int i = 0; i < readyGroups.size(); i++) {
            route(readyGroups.get(i), readies.get(i).messagesAfterPersist(), outbox);
        }
        flush(outbox);
    }

    private void route(Group g, List<Message> msgs, Outbox outbox) {
        for (int i = 0; i < msgs.size(); i++) {
            Message m = msgs.get(i);
            long node = g.nodeOf(m.to());
            if (node != 0) {
                outbox.add(node, g.groupId, m);
            }
        }
    }

    private void flush(Outbox outbox) {
        if (!outbox.isEmpty()) {
            outbox.flush(sender, metrics);
        }
    }

    private void applyAndAdvance(Group g, Ready rd) {
        if (rd.softState() != null) {
            StateRole role = rd.softState().role();
            if (role == StateRole.CANDIDATE) {
                metrics.electionsStarted.increment();
            } else if (role == StateRole.LEADER) {
                metrics.electionsWon.increment();
            }
            if (role != StateRole.LEADER) {
                failPending(g, "leadership lost");
            }
        }
        long term = g.node.raft().term();
        List<Entry> committed = rd.committedEntries();
        for (int i = 0; i < committed.size(); i++) {
            Entry e = committed.get(i);
            if (e.isConfChange()) {
                ConfChange cc = ConfChange.decode(e.data());
                Map<Long, Long> added = ReplicaRoutes.decode(cc.context());
                if (!added.isEmpty()) {
                    g.routes = share(g.routes.with(added));
                    addPeers(added.values());
                }
                g.stateMachine.applyConfChange(e, cc, g.node.applyConfChange(cc));
            } else {
                g.stateMachine.apply(e);
            }
            Group.PendingProposal p = g.takePending(e.index());
            if (p != null) {
                if (p.term() == e.term()) {
                    p.future().complete(e.index());
                } else {
                    p.future().completeExceptionally(new IllegalStateException(
                            "proposal at index " + e.index() + " was replaced by a leader of term " + e.term()));
                }
            }
        }
        for (int i = 0; i < rd.readStates().size(); i++) {
            var rs = rd.readStates().get(i);
            CompletableFuture<Long> f = g.takeReadAwaitingState(ByteBuffer.wrap(rs.context()));
            if (f != null) {
                g.awaitApply(rs.index(), f);
            }
        }
        g.node.advance(rd);
        List<Message> sent = rd.messages();
        for (int i = 0; i < sent.size(); i++) {
            Message m = sent.get(i);
            if (m.type() == MessageType.SNAPSHOT) {
                // The transport takes snapshots fire-and-forget: report them sent, so the
                // follower's progress leaves the snapshot state. If it was lost, the follower's
                // next rejection leads the leader back to a fresh snapshot.
                g.node.reportSnapshot(m.to(), true);
            }
        }
        g.releaseReads(g.node.raft().log().applied());
        if (term != g.node.raft().term()) {
            failPending(g, "term changed");
        }
    }

    private void failPending(Group g, String why) {
        // Unconfirmed reads die with the leadership that was to confirm them; confirmed ones
        // (waiting only for apply) stay valid.
        for (CompletableFuture<Long> f : g.takeAllReadsAwaitingState()) {
            f.completeExceptionally(new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER,
                    g.node.raft().lead(), why));
        }
        for (Group.PendingProposal p : g.takeAllPending()) {
            p.future().completeExceptionally(new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER,
                    g.node.raft().lead(), why));
        }
    }

    // ---------------------------------------------------------------- observation

    public EngineMetrics.Snapshot metrics() {
        int quiesced = 0;
        for (Group g : groups.values()) {
            if (g.quiesced) {
                quiesced++;
            }
        }
        return metrics.snapshot(groups.size() - quiesced, quiesced);
    }

    /**
     * A group's state as of its last cycle; null if the group is not hosted here. Safe from any
     * thread: workers publish it, nobody else reads the RawNode.
     */
    public GroupInfo info(long groupId) {
        Group g = groups.get(groupId);
        return g == null ? null : g.info();
    }

    /** Publishes the group's state for other threads. */
    private static void publish(Group g) {
        var raft = g.node.raft();
        JointConfig voters = raft.tracker().config().voters();
        if (g.voters != voters) {
            g.voters = voters;
        }
        g.publish(raft.role(), raft.term(), raft.lead(), raft.log().committed(), raft.log().applied(), g.quiesced);
    }

    /** Every hosted group's id. */
    public Set<Long> groupIds() {
        return Set.copyOf(groups.keySet());
    }

    /** What a node knows of one group. {@code leaderNode} is 0 when no leader is known. */
    public record GroupInfo(long groupId, long replicaId, StateRole role, long term, long leader, long leaderNode,
                            long commit, long applied, boolean quiesced) {
    }

    /** Mixes three longs into a well-spread seed (for timeout sequences and campaign staggering). */
    static long mix(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L;
        h ^= b + 0x632BE59BD9B4E019L + (h << 6) + (h >>> 2);
        h ^= c + 0x85157AF5L + (h << 6) + (h >>> 2);
        return h;
    }
}
