package io.flotilla.engine;

import io.flotilla.raft.RawNode;
import io.flotilla.raft.message.Entry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica of one group hosted by a node: its RawNode, inbox, state machine and the
 * engine's bookkeeping (scheduling state, quiescence, tick debt). Only the worker holding it
 * (see {@link WorkScheduler}) touches the RawNode.
 */
final class Group {
    final long groupId;
    final long replicaId;
    final RawNode node;
    final GroupStateMachine stateMachine;
    /** replica id -> node id for every member, for routing. */
    final Map<Long, Long> replicaNodes;

    final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /** Scheduling state, see {@link WorkScheduler}. */
    final AtomicInteger schedState = new AtomicInteger();
    /** Ticks owed to this group; capped so a slow worker does not cause a burst of elections. */
    final AtomicInteger tickDebt = new AtomicInteger();

    volatile boolean quiesced;
    /** Published by the worker after each cycle, for readers on other threads. */
    volatile NodeEngine.GroupInfo info;
    /** Ticks since the group last had any activity; a leader quiesces after a few idle ones. */
    int idleTicks;
    /** Engine tick at which a woken group campaigns (election-storm staggering); 0 = none. */
    long campaignAtTick;
    /** A leader's request to quiesce, drained this cycle and judged once the cycle has applied. */
    HeartbeatItem quiesceOffer;
    /** Proposals waiting to be applied, by log index. */
    final Map<Long, PendingProposal> pending = new HashMap<>();
    /** ReadIndex requests waiting for their read state, by context. */
    final Map<java.nio.ByteBuffer, CompletableFuture<Long>> readsAwaitingIndex = new HashMap<>();
    /** Confirmed reads waiting for the state machine to apply their index, by that index. */
    final java.util.TreeMap<Long, java.util.List<CompletableFuture<Long>>> readsAwaitingApply = new java.util.TreeMap<>();
    /** Numbers ReadIndex contexts; unique per replica incarnation. */
    long readSeq;

    record PendingProposal(long term, CompletableFuture<Long> future) {
    }

    /** A proposal waiting in the inbox. */
    record Proposal(Entry entry, CompletableFuture<Long> future) {
    }

    Group(long groupId, long replicaId, RawNode node, GroupStateMachine stateMachine, Map<Long, Long> replicaNodes) {
        this.groupId = groupId;
        this.replicaId = replicaId;
        this.node = node;
        this.stateMachine = stateMachine;
        this.replicaNodes = new java.util.concurrent.ConcurrentHashMap<>(replicaNodes);
    }

    /**
     * Identity equality, but a hash from the ids rather than the object's address: the engine
     * iterates hash sets of groups (the awake set, on every tick), and with address hashes that
     * order — and so which groups share a cycle, and so the envelopes sent — changed from run to
     * run, breaking seeded replay once a node hosts more groups than one cycle takes.
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
        Long n = replicaNodes.get(replica);
        return n == null ? 0 : n;
    }
}
