package io.flotilla.engine;

import io.flotilla.raft.RawNode;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.quorum.JointConfig;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One replica of one group hosted by a node: its RawNode, inbox, state machine and the
 * engine's bookkeeping (scheduling state, quiescence, its clock). Only the worker holding it
 * (see {@link WorkScheduler}) touches the RawNode.
 *
 * <p>A node holds a hundred thousand of these, so an idle one holds little: the inbox is a
 * field, not a queue object; the scheduling state an int, not an atomic object; the maps of
 * waiting requests exist only while something waits.</p>
 */
final class Group {
    /** {@link #tickedThrough} of a quiesced group: its clock stopped, and the time asleep is never replayed. */
    static final long ASLEEP = -1;
    /** {@link #dueTick} when no tick will ever act (a replica that cannot campaign, or a quiesced one). */
    static final long NEVER = Long.MAX_VALUE;

    private static final VarHandle INBOX;
    private static final VarHandle SCHED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            INBOX = l.findVarHandle(Group.class, "inboxHead", Mail.class);
            SCHED = l.findVarHandle(Group.class, "schedState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long groupId;
    final long replicaId;
    final RawNode node;
    final GroupStateMachine stateMachine;
    /** replica id -> node id for every member, for routing; replaced whole when it changes. */
    volatile RouteTable routes;

    /** Newest first; see {@link #offer} and {@link #takeMail}. */
    @SuppressWarnings("unused") // through INBOX
    private volatile Mail inboxHead;
    /** Scheduling state, see {@link WorkScheduler}. */
    @SuppressWarnings("unused") // through SCHED
    private volatile int schedState;

    volatile boolean quiesced;
    /** Set when the node stops hosting the group: a stale timer or queue entry then does nothing. */
    volatile boolean removed;
    /**
     * What the worker last published, for readers on other threads: an immutable value,
     * replaced only when something in it changed, so reading it allocates nothing.
     */
    private volatile NodeEngine.GroupInfo info;
    /** The voters as of the last cycle, for judging a peer's death off the worker (immutable). */
    volatile JointConfig voters;

    // --- the group's clock, touched only by the worker holding the group
    /** The engine tick through which this group's Raft has been ticked; {@link #ASLEEP} while quiesced. */
    long tickedThrough;
    /** The tick at which the group next has something to do on its own; {@link #NEVER} if none. */
    long dueTick = NEVER;
    /** The tick whose bucket of the {@link TickWheel} holds this group, 0 if none; guarded by the wheel. */
    long wheelTick;

    /** Ticks since the group last had any activity; a leader quiesces after a few idle ones. */
    int idleTicks;
    /** After the leader's node died: when to campaign, or how long to hold the election clock; null otherwise. */
    LeaderLossPlan leaderLoss;
    /** A leader's request to quiesce, drained this cycle and judged once the cycle has applied. */
    HeartbeatItem quiesceOffer;
    /** Proposals waiting to be applied, by log index; null while none waits. */
    private Map<Long, PendingProposal> pending;
    /** ReadIndex requests waiting for their read state, by context; null while none waits. */
    private Map<ByteBuffer, CompletableFuture<Long>> readsAwaitingIndex;
    /** Confirmed reads waiting for the state machine to apply their index, by that index; null while none. */
    private TreeMap<Long, List<CompletableFuture<Long>>> readsAwaitingApply;
    /** Numbers ReadIndex contexts; unique per replica incarnation. */
    long readSeq;

    record PendingProposal(long term, CompletableFuture<Long> future) {
    }

    /** A proposal waiting in the inbox. */
    record Proposal(Entry entry, CompletableFuture<Long> future) {
    }

    /** One item of the inbox: a lock-free stack node, reversed into arrival order when taken. */
    static final class Mail {
        final Object item;
        Mail next;

        Mail(Object item) {
            this.item = item;
        }
    }

    Group(long groupId, long replicaId, RawNode node, GroupStateMachine stateMachine, RouteTable routes) {
        this.groupId = groupId;
        this.replicaId = replicaId;
        this.node = node;
        this.stateMachine = stateMachine;
        this.routes = routes;
    }

    // ---------------------------------------------------------------- inbox

    /** Adds work from any thread. */
    void offer(Object item) {
        Mail m = new Mail(item);
        Mail head;
        do {
            head = (Mail) INBOX.getAcquire(this);
            m.next = head;
        } while (!INBOX.compareAndSet(this, head, m));
    }

    boolean hasMail() {
        return INBOX.getAcquire(this) != null;
    }

    /** Takes everything offered so far: the oldest item, linked through {@link Mail#next} to the newest. */
    Mail takeMail() {
        Mail m = (Mail) INBOX.getAndSet(this, (Mail) null);
        Mail reversed = null;
        while (m != null) {
            Mail next = m.next;
            m.next = reversed;
            reversed = m;
            m = next;
        }
        return reversed;
    }

    // ---------------------------------------------------------------- scheduling state

    int schedState() {
        return (int) SCHED.getVolatile(this);
    }

    boolean casSchedState(int expect, int update) {
        return SCHED.compareAndSet(this, expect, update);
    }

    void setSchedState(int v) {
        SCHED.setVolatile(this, v);
    }

    // ---------------------------------------------------------------- waiting requests

    Map<Long, PendingProposal> pending() {
        if (pending == null) {
            pending = new HashMap<>(4);
        }
        return pending;
    }

    boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    /** Removes and returns the proposal waiting at {@code index}, or null. */
    PendingProposal takePending(long index) {
        if (pending == null) {
            return null;
        }
        PendingProposal p = pending.remove(index);
        if (pending.isEmpty()) {
            pending = null;
        }
        return p;
    }

    /** Removes every waiting proposal and returns them. */
    List<PendingProposal> takeAllPending() {
        if (pending == null) {
            return List.of();
        }
        List<PendingProposal> all = new ArrayList<>(pending.values());
        pending = null;
        return all;
    }

    void awaitReadState(ByteBuffer context, CompletableFuture<Long> f) {
        if (readsAwaitingIndex == null) {
            readsAwaitingIndex = new HashMap<>(4);
        }
        readsAwaitingIndex.put(context, f);
    }

    /** The read waiting for the read state with {@code context}, removed; null if none. */
    CompletableFuture<Long> takeReadAwaitingState(ByteBuffer context) {
        if (readsAwaitingIndex == null) {
            return null;
        }
        CompletableFuture<Long> f = readsAwaitingIndex.remove(context);
        if (readsAwaitingIndex.isEmpty()) {
            readsAwaitingIndex = null;
        }
        return f;
    }

    /** Every read still waiting for its read state, removed. */
    List<CompletableFuture<Long>> takeAllReadsAwaitingState() {
        if (readsAwaitingIndex == null) {
            return List.of();
        }
        List<CompletableFuture<Long>> all = new ArrayList<>(readsAwaitingIndex.values());
        readsAwaitingIndex = null;
        return all;
    }

    void awaitApply(long index, CompletableFuture<Long> f) {
        if (readsAwaitingApply == null) {
            readsAwaitingApply = new TreeMap<>();
        }
        readsAwaitingApply.computeIfAbsent(index, i -> new ArrayList<>(2)).add(f);
    }

    /** Completes every read whose index is applied, with the applied index. */
    void releaseReads(long applied) {
        if (readsAwaitingApply == null) {
            return;
        }
        while (!readsAwaitingApply.isEmpty() && readsAwaitingApply.firstKey() <= applied) {
            for (CompletableFuture<Long> f : readsAwaitingApply.pollFirstEntry().getValue()) {
                f.complete(applied);
            }
        }
        if (readsAwaitingApply.isEmpty()) {
            readsAwaitingApply = null;
        }
    }

    // ---------------------------------------------------------------- identity and routing

    /**
     * Identity equality, but a hash from the ids rather than the object's address: hash sets of
     * groups iterated in address order would change which groups share a cycle from run to run,
     * breaking seeded replay.
     */
    @Override
    public int hashCode() {
        return Long.hashCode(groupId * 0x9E3779B97F4A7C15L + replicaId);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    long nodeOf(long replica) {
        return routes.nodeOf(replica);
    }

    /** Publishes the group's state (worker only); allocates only when something changed. */
    void publish(StateRole role, long term, long lead, long commit, long applied, boolean quiesced) {
        NodeEngine.GroupInfo old = info;
        if (old != null && old.role() == role && old.term() == term && old.leader() == lead && old.commit() == commit
                && old.applied() == applied && old.quiesced() == quiesced) {
            return;
        }
        info = new NodeEngine.GroupInfo(groupId, replicaId, role, term, lead, nodeOf(lead), commit, applied, quiesced);
    }

    /** The last published state, from any thread; null before the first publication. */
    NodeEngine.GroupInfo info() {
        return info;
    }
}
