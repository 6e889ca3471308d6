package io.flotilla.bench.core;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.Message;

import java.util.ArrayDeque;

/**
 * One Raft group of replicas 1..n in memory, on one thread: messages go into a queue and are
 * stepped straight into their target, no copying or encoding. Deterministic, so a benchmark
 * run does the same work every time.
 */
public final class MemoryGroup implements MessageSink {
    /** Safety net: a loop that does not settle is a bug, not a slow benchmark. */
    private static final int MAX_ROUNDS = 1_000;

    private final MemoryReplica[] replicas; // indexed by id; [0] unused
    private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
    private long delivered;

    private MemoryGroup(MemoryReplica[] replicas) {
        this.replicas = replicas;
    }

    /** A fresh group of voters 1..n with default settings (check-quorum, pre-vote). */
    public static MemoryGroup of(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
        }
        MemoryReplica[] replicas = new MemoryReplica[n + 1];
        for (long id : ids) {
            replicas[(int) id] = new MemoryReplica(RaftConfig.builder(id).build(), MemoryLogStorage.withVoters(ids));
        }
        return new MemoryGroup(replicas);
    }

    public int size() {
        return replicas.length - 1;
    }

    public MemoryReplica replica(long id) {
        return replicas[(int) id];
    }

    /** Messages stepped into replicas so far. */
    public long delivered() {
        return delivered;
    }

    @Override
    public void send(Message m) {
        inFlight.add(m);
    }

    /** Makes {@code id} campaign and runs the group until it settles with {@code id} leading. */
    public MemoryReplica elect(long id) {
        MemoryReplica r = replica(id);
        r.node().campaign();
        runUntilQuiet();
        if (r.node().raft().role() != StateRole.LEADER) {
            throw new IllegalStateException(id + " did not win the election: " + r.node().raft());
        }
        return r;
    }

    /**
     * Handles every Ready and delivers every message until nothing is left to do: then all
     * replicas hold, have committed and have applied the same log.
     */
    public void runUntilQuiet() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean moved = false;
            for (int i = 1; i < replicas.length; i++) {
                while (replicas[i].handleReady(this)) {
                    moved = true;
                }
            }
            if (!moved && inFlight.isEmpty()) {
                return;
            }
            Message m;
            while ((m = inFlight.poll()) != null) {
                replicas[(int) m.to()].node().step(m);
                delivered++;
            }
        }
        throw new IllegalStateException("group did not settle within " + MAX_ROUNDS + " rounds");
    }

    /**
     * Compacts every replica's log up to the lowest applied index in the group (no replica
     * can need entries below it), once a log holds more than {@code maxRetained} entries.
     */
    public void compactIfLonger(int maxRetained) {
        long safe = Long.MAX_VALUE;
        for (int i = 1; i < replicas.length; i++) {
            safe = Math.min(safe, replicas[i].appliedIndex());
        }
        for (int i = 1; i < replicas.length; i++) {
            replicas[i].compactTo(safe, maxRetained);
        }
    }
}
