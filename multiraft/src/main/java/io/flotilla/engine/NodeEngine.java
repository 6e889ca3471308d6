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
import io.flotilla.raft.tracker.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class NodeEngine {
    private final EngineConfig config;
    private final LogStore logStore;
    private final MessageSender sender;
    private final Map<Long, Group> groups = new ConcurrentHashMap<>();
    private final Set<Group> awake = ConcurrentHashMap.newKeySet();
    private final WorkScheduler scheduler = new WorkScheduler();
    private final NodeLiveness liveness;
    private final EngineMetrics metrics = new EngineMetrics();
    private final AtomicLong tickCount = new AtomicLong();
    private final SplittableRandom random;
    private final HeartbeatCoalescer heartbeats;
    private volatile Runnable workListener = () -> { };
    /**
     * Messages for groups not (yet) hosted here, kept briefly and replayed when the group is
     * created: after a split, the child's leader may ask for votes before a follower has applied
     * the split, and dropping those requests would cost a whole election timeout.
     */
    private final Map<Long, List<Message>> orphans = new java.util.LinkedHashMap<>();
    private int orphanCount;
    private static final int MAX_ORPHANS = 10_000;
    private static final int ORPHAN_EXPIRY_TICKS = 20;

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
        this.liveness = new NodeLiveness(config.livenessTimeoutTicks());
        this.random = new SplittableRandom(config.seed());
        this.heartbeats = new HeartbeatCoalescer(config.nodeId());
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
        RaftConfig rc = RaftConfig.builder(replicaId).applied(sm.appliedIndex()).electionTick(config.electionTick())
                .heartbeatTick(config.heartbeatTick()).preVote(config.preVote()).checkQuorum(config.checkQuorum())
                // Every replica gets its own timeout sequence: groups must not time out in lockstep.
                .randomSeed(mix(config.seed(), groupId, replicaId)).build();
        RawNode node = new RawNode(rc, logStore.storage(groupId));
        Group g = new Group(groupId, replicaId, node, sm, replicaNodes);
        g.info = describe(g);
        groups.put(groupId, g);
        long now = tickCount.get();
        for (long n : replicaNodes.values()) {
            if (n != nodeId()) {
                liveness.addPeer(n, now);
            }
        }
        wake(g);
        replayOrphans(g);
    }

    public void removeGroup(long groupId) {
        Group g = groups.remove(groupId);
        if (g != null) {
            awake.remove(g);
            logStore.remove(groupId);
        }
    }

    public boolean hasGroup(long groupId) {
        return groups.containsKey(groupId);
    }

    public int groupCount() {
        return groups.size();
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
            f.completeExceptionally(new IllegalArgumentException("no group " + groupId + " on node " + nodeId()));
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
        CompletableFuture<Long> f = new CompletableFuture<>();
        Group g = groups.get(groupId);
        if (g == null) {
            f.completeExceptionally(new IllegalArgumentException("no group " + groupId + " on node " + nodeId()));
            return f;
        }
        enqueue(g, new Command(x -> {
            byte[] ctx = java.nio.ByteBuffer.allocate(16).putLong(x.replicaId).putLong(++x.readSeq).array();
            if (x.node.raft().role() != StateRole.LEADER && x.node.raft().lead() == 0) {
                f.completeExceptionally(new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER, 0,
                        "no leader to confirm a read"));
                return;
            }
            x.readsAwaitingIndex.put(java.nio.ByteBuffer.wrap(ctx), f);
            x.node.readIndex(ctx);
        }));
        return f;
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
            f.completeExceptionally(new IllegalArgumentException("no group " + groupId + " on node " + nodeId()));
            return f;
        }
        ConfChange withRoutes = new ConfChange(cc.transition(), cc.changes(), ReplicaRoutes.encode(routes));
        enqueue(g, new Group.Proposal(withRoutes.toEntry(), f));
        return f;
    }

    private void command(long groupId, Consumer<Group> action) {
        Group g = groups.get(groupId);
        if (g != null) {
            enqueue(g, new Command(action));
        }
    }

    /** Delivers an envelope from a peer: every item goes to its group's inbox. */
    public void receive(Envelope env) {
        if (liveness.heard(env.fromNode(), tickCount.get())) {
            onNodeReturned(env.fromNode());
        }
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
            deliver(hb.groupId(), Message.builder(MessageType.HEARTBEAT_RESPONSE).from(hb.from()).to(hb.to())
                    .term(hb.term()).build());
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
        synchronized (orphans) {
            if (orphanCount >= MAX_ORPHANS) {
                return; // bounded: past this, Raft's own retries take over
            }
            orphans.computeIfAbsent(groupId, k -> new ArrayList<>()).add(m);
            orphanCount++;
        }
        // The group may have been created meanwhile: then hand the message over now.
        Group g = groups.get(groupId);
        if (g != null) {
            replayOrphans(g);
        }
    }

    private void replayOrphans(Group g) {
        List<Message> early;
        synchronized (orphans) {
            early = orphans.remove(g.groupId);
            orphanCount -= early == null ? 0 : early.size();
        }
        if (early != null) {
            early.forEach(m -> enqueue(g, m));
        }
    }

    private void enqueue(Group g, Object item) {
        g.inbox.add(item);
        if (g.quiesced && !(item instanceof QuiesceRequest) && !isHeartbeatResponse(item)) {
            wake(g);
        }
        schedule(g);
    }

    private static boolean isHeartbeatResponse(Object item) {
        return item instanceof Message m && m.type() == MessageType.HEARTBEAT_RESPONSE;
    }

    /** Safe from any thread; the worker resets the idle count when it sees the work. */
    private void wake(Group g) {
        if (g.quiesced) {
            metrics.wakes.increment();
        }
        g.quiesced = false;
        awake.add(g);
    }

    private void schedule(Group g) {
        scheduler.schedule(g);
        workListener.run();
    }

    // ---------------------------------------------------------------- the clock

    /**
     * One tick of the node's clock: the coalesced heartbeats gathered since the last tick go
     * out (one envelope per peer, which doubles as the liveness ping), every awake group owes
     * one more tick (capped), and liveness is judged.
     */
    public void tick() {
        long now = tickCount.incrementAndGet();
        metrics.ticks.increment();
        // A concurrent hash set never shrinks its table: iterating it walks every bucket it ever
        // grew, ~0.6 ms per tick once 100k groups were awake, even when none is now. Skip the walk
        // when every group is quiesced (the idle steady state).
        if (!awake.isEmpty()) {
            for (Group g : awake) {
                if (g.tickDebt.get() < config.maxTickDebt()) {
                    g.tickDebt.incrementAndGet();
                }
                schedule(g);
            }
        }
        NodeLiveness.Changes changes = liveness.onTick(now);
        for (long dead : changes.died()) {
            onNodeDied(dead, now);
        }
        heartbeats.flush(liveness.peers(), sender, metrics);
        if (now % ORPHAN_EXPIRY_TICKS == 0) {
            synchronized (orphans) {
                orphans.clear(); // a group that has not appeared by now is not about to
                orphanCount = 0;
            }
        }
    }

    public long currentTick() {
        return tickCount.get();
    }

    /**
     * Node {@code dead} stopped talking. Groups here whose leader was there forget it and
     * campaign, spread over a random window so thousands of groups do not all vote in the same
     * tick; groups led here with a replica there wake so check-quorum can run.
     */
    private void onNodeDied(long dead, long now) {
        for (Group g : groups.values()) {
            GroupInfo seen = g.info;
            boolean leaderThere = seen != null && seen.leaderNode() == dead;
            if (leaderThere) {
                long delay;
                synchronized (random) {
                    delay = 1 + (config.campaignStaggerTicks() == 0 ? 0 : random.nextInt(config.campaignStaggerTicks()));
                }
                long at = now + delay;
                enqueue(g, new Command(x -> {
                    x.node.forgetLeader();
                    // One replica per group campaigns — the lowest voter on a live node, which every
                    // survivor computes alike — so two survivors do not split the vote. The others
                    // keep their election timers as the fallback.
                    if (designatedCampaigner(x) == x.replicaId) {
                        x.campaignAtTick = at;
                    }
                }));
            } else if (g.quiesced && seen != null && seen.role() == StateRole.LEADER
                    && g.replicaNodes.containsValue(dead)) {
                enqueue(g, new Command(x -> { }));
            }
        }
    }

    private long designatedCampaigner(Group g) {
        for (long voter : g.node.raft().tracker().config().voters().ids()) {
            long node = g.nodeOf(voter);
            if (node == nodeId() || (node != 0 && !liveness.isDead(node))) {
                return voter;
            }
        }
        return 0;
    }

    /** Node {@code back} talks again: groups led here with a replica there wake to catch it up. */
    private void onNodeReturned(long back) {
        for (Group g : groups.values()) {
            GroupInfo seen = g.info;
            if (g.quiesced && seen != null && seen.role() == StateRole.LEADER && g.replicaNodes.containsValue(back)) {
                enqueue(g, new Command(x -> { }));
            }
        }
    }

    // ---------------------------------------------------------------- the Ready cycle

    /** One worker cycle over up to {@code maxGroups} groups with work; returns how many it handled. */
    public int processCycle(int maxGroups) {
        List<Group> batch = new ArrayList<>(Math.min(maxGroups, 64));
        if (scheduler.take(batch, maxGroups) == 0) {
            return 0;
        }
        long now = tickCount.get();
        Outbox outbox = new Outbox(nodeId(), heartbeats, config.coalesce());
        List<Group> readyGroups = new ArrayList<>(batch.size());
        List<Ready> readies = new ArrayList<>(batch.size());
        for (Group g : batch) {
            boolean active = drainInbox(g, outbox);
            int ticks = g.tickDebt.getAndSet(0);
            if (active) {
                g.idleTicks = 0;
            }
            if (!g.quiesced && ticks > 0) {
                g.idleTicks += ticks;
                // Decide before ticking: a group that may quiesce sends no more heartbeats.
                if (!maybeQuiesce(g)) {
                    for (int i = 0; i < ticks; i++) {
                        g.node.tick();
                        metrics.groupTicks.increment();
                    }
                }
            }
            if (!g.quiesced && g.campaignAtTick != 0 && now >= g.campaignAtTick) {
                g.campaignAtTick = 0;
                // Another replica may have won meanwhile: then there is nothing to do.
                if (g.node.raft().lead() == 0 && g.node.raft().role() == StateRole.FOLLOWER) {
                    g.node.campaign();
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
            g.info = describe(g);
            scheduler.done(g);
            if (g.node.hasReady() && groups.get(g.groupId) == g) {
                schedule(g);
            }
        }
        return batch.size();
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
        return !scheduler.isEmpty();
    }

    /** Steps everything in the inbox; returns whether any of it was more than routine heartbeat traffic. */
    private boolean drainInbox(Group g, Outbox outbox) {
        boolean active = false;
        Object item;
        while ((item = g.inbox.poll()) != null) {
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
            g.pending.put(raft.log().lastIndex(), new Group.PendingProposal(raft.term(), p.future()));
        } else {
            // Forwarded to the leader: this node cannot tell when (or whether) it lands.
            p.future().complete(0L);
        }
    }

    /**
     * Quiescence (CockroachDB's idea): a leader whose group is idle — nothing pending, every
     * member holds the whole log, everything committed is applied — stops ticking and tells its
     * followers to stop too. Nothing is lost: any message, proposal or node death wakes it.
     */
    private boolean maybeQuiesce(Group g) {
        var raft = g.node.raft();
        if (!config.quiescence() || raft.role() != StateRole.LEADER || g.idleTicks < config.quiesceAfterIdleTicks()) {
            return false;
        }
        long last = raft.log().lastIndex();
        if (!g.pending.isEmpty() || !g.inbox.isEmpty() || raft.log().committed() != last
                || raft.log().applied() != last || raft.leadTransferee() != 0 || raft.hasPendingReads()
                || raft.tracker().config().voters().isJoint() || g.node.hasReady()) {
            return false;
        }
        for (Map.Entry<Long, Progress> e : raft.tracker().progress().entrySet()) {
            if (e.getValue().match() != last) {
                return false;
            }
        }
        for (long member : raft.tracker().progress().keySet()) {
            if (member != g.replicaId) {
                heartbeats.heartbeat(g.nodeOf(member),
                        new HeartbeatItem(g.groupId, g.replicaId, member, raft.term(), last, true));
            }
        }
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
        g.quiesced = true;
        g.idleTicks = 0;
        awake.remove(g);
        // A wake may have raced with us: if work arrived, stay awake.
        if (!g.inbox.isEmpty()) {
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
        for (Message m : msgs) {
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
        if (rd.snapshot() != null) {
            g.stateMachine.restore(rd.snapshot());
        }
        long term = g.node.raft().term();
        for (Entry e : rd.committedEntries()) {
            if (e.isConfChange()) {
                ConfChange cc = ConfChange.decode(e.data());
                g.replicaNodes.putAll(ReplicaRoutes.decode(cc.context()));
                g.stateMachine.applyConfChange(e, cc, g.node.applyConfChange(cc));
            } else {
                g.stateMachine.apply(e);
            }
            Group.PendingProposal p = g.pending.remove(e.index());
            if (p != null) {
                if (p.term() == e.term()) {
                    p.future().complete(e.index());
                } else {
                    p.future().completeExceptionally(new IllegalStateException(
                            "proposal at index " + e.index() + " was replaced by a leader of term " + e.term()));
                }
            }
        }
        for (var rs : rd.readStates()) {
            CompletableFuture<Long> f = g.readsAwaitingIndex.remove(java.nio.ByteBuffer.wrap(rs.context()));
            if (f != null) {
                g.readsAwaitingApply.computeIfAbsent(rs.index(), i -> new ArrayList<>()).add(f);
            }
        }
        g.node.advance(rd);
        for (Message m : rd.messages()) {
            if (m.type() == MessageType.SNAPSHOT) {
                // The transport takes snapshots fire-and-forget: report them sent, so the
                // follower's progress leaves the snapshot state. If it was lost, the follower's
                // next rejection leads the leader back to a fresh snapshot.
                g.node.reportSnapshot(m.to(), true);
            }
        }
        releaseReads(g);
        if (term != g.node.raft().term()) {
            failPending(g, "term changed");
        }
    }

    /** Completes confirmed reads whose index the state machine has now applied. */
    private void releaseReads(Group g) {
        long applied = g.node.raft().log().applied();
        while (!g.readsAwaitingApply.isEmpty() && g.readsAwaitingApply.firstKey() <= applied) {
            for (CompletableFuture<Long> f : g.readsAwaitingApply.pollFirstEntry().getValue()) {
                f.complete(applied);
            }
        }
    }

    private void failPending(Group g, String why) {
        // Unconfirmed reads die with the leadership that was to confirm them; confirmed ones
        // (waiting only for apply) stay valid.
        for (CompletableFuture<Long> f : g.readsAwaitingIndex.values()) {
            f.completeExceptionally(new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER,
                    g.node.raft().lead(), why));
        }
        g.readsAwaitingIndex.clear();
        if (g.pending.isEmpty()) {
            return;
        }
        for (Group.PendingProposal p : g.pending.values()) {
            p.future().completeExceptionally(new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER,
                    g.node.raft().lead(), why));
        }
        g.pending.clear();
    }

    // ---------------------------------------------------------------- observation

    public EngineMetrics.Snapshot metrics() {
        int quiesced = 0;
        for (Group g : groups.values()) {
            if (g.quiesced) {
                quiesced++;
            }
        }
        return metrics.snapshot(awake.size(), quiesced);
    }

    /**
     * A group's state as of its last cycle; null if the group is not hosted here. Safe from any
     * thread: workers publish it, nobody else reads the RawNode.
     */
    public GroupInfo info(long groupId) {
        Group g = groups.get(groupId);
        return g == null ? null : g.info;
    }

    private static GroupInfo describe(Group g) {
        var raft = g.node.raft();
        return new GroupInfo(g.groupId, g.replicaId, raft.role(), raft.term(), raft.lead(), g.nodeOf(raft.lead()),
                raft.log().committed(), raft.log().applied(), g.quiesced);
    }

    /** Every hosted group's id. */
    public Set<Long> groupIds() {
        return Set.copyOf(groups.keySet());
    }

    /** What a node knows of one group. {@code leaderNode} is 0 when no leader is known. */
    public record GroupInfo(long groupId, long replicaId, StateRole role, long term, long leader, long leaderNode,
                            long commit, long applied, boolean quiesced) {
    }

    private static long mix(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L;
        h ^= b + 0x632BE59BD9B4E019L + (h << 6) + (h >>> 2);
        h ^= c + 0x85157AF5L + (h << 6) + (h >>> 2);
        return h;
    }
}
