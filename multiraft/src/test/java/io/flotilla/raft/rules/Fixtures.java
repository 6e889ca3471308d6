package io.flotilla.raft.rules;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Shared set-up for the rule tests: storages holding a given log, single replicas driven by
 * hand, hand-made messages, and a stabilize that records the traffic it delivered.
 */
final class Fixtures {
    private Fixtures() {
    }

    static final Consumer<RaftConfig.Builder> DEFAULTS = b -> { };

    /** Checks and pre-vote off: the bare algorithm of the paper. */
    static final Consumer<RaftConfig.Builder> PLAIN = b -> b.checkQuorum(false).preVote(false);

    // ---------------------------------------------------------------- storage

    /**
     * Storage for a member of {@code voters} whose log holds entries 1..n with the given terms
     * and whose hard state is {@code (term, vote, commit 0)}.
     */
    static MemoryLogStorage storage(long[] voters, long term, long vote, long... entryTerms) {
        MemoryLogStorage s = MemoryLogStorage.withVoters(voters);
        s.append(entries(1, entryTerms));
        s.setHardState(new HardState(term, vote, 0));
        return s;
    }

    /** Storage whose initial configuration is {@code cs} (e.g. one with learners). */
    static MemoryLogStorage storage(ConfState cs) {
        MemoryLogStorage s = new MemoryLogStorage();
        s.applySnapshot(new Snapshot(new SnapshotMetadata(cs, 0, 0), null));
        return s;
    }

    /** Entries from {@code firstIndex} on, one per term given, each holding a little data. */
    static List<Entry> entries(long firstIndex, long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            long index = firstIndex + i;
            out.add(Entry.normal(terms[i], index, ("e" + index).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    static long[] repeat(long term, int times) {
        long[] out = new long[times];
        Arrays.fill(out, term);
        return out;
    }

    static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static long[] ids(long... ids) {
        return ids;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- replicas

    static TestNode replica(long id, MemoryLogStorage storage, Consumer<RaftConfig.Builder> customize) {
        RaftConfig.Builder b = RaftConfig.builder(id);
        customize.accept(b);
        return new TestNode(b.build(), storage);
    }

    /** Handles every Ready of {@code n} as a host would and returns what it sent, in order. */
    static List<Message> drain(TestNode n) {
        List<Message> out = new ArrayList<>();
        while (n.handleReady(out::add)) {
            // keep going until nothing is left
        }
        return out;
    }

    static List<Message> ofType(Collection<Message> msgs, MessageType type) {
        return msgs.stream().filter(m -> m.type() == type).toList();
    }

    // ---------------------------------------------------------------- cluster traffic

    /** Like {@link TestCluster#stabilize()}, but returns every message put on the wire (delivered or not). */
    static List<Message> stabilize(TestCluster c) {
        List<Message> sent = new ArrayList<>();
        for (int round = 0; round < 10_000; round++) {
            boolean moved = c.processReady();
            sent.addAll(c.inFlight());
            if (c.inFlight().isEmpty() && !moved) {
                return sent;
            }
            c.deliverAll();
        }
        throw new IllegalStateException("cluster did not stabilize");
    }

    /** Ticks every node once and stabilizes, {@code times} times; returns the traffic. */
    static List<Message> tickAndStabilize(TestCluster c, int times) {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            c.tickAll(1);
            sent.addAll(stabilize(c));
        }
        return sent;
    }

    // ---------------------------------------------------------------- messages

    static Message vote(long from, long to, long term, long lastIndex, long lastTerm) {
        return Message.builder(MessageType.VOTE).from(from).to(to).term(term).index(lastIndex).logTerm(lastTerm)
                .build();
    }

    static Message preVote(long from, long to, long term, long lastIndex, long lastTerm) {
        return Message.builder(MessageType.PRE_VOTE).from(from).to(to).term(term).index(lastIndex)
                .logTerm(lastTerm).build();
    }

    static Message voteResponse(MessageType type, long from, long to, long term, boolean granted) {
        return Message.builder(type).from(from).to(to).term(term).reject(!granted).build();
    }

    static Message append(long from, long to, long term, long prevIndex, long prevTerm, long commit,
                          List<Entry> ents) {
        return Message.builder(MessageType.APPEND).from(from).to(to).term(term).index(prevIndex).logTerm(prevTerm)
                .commit(commit).entries(ents).build();
    }

    static Message heartbeat(long from, long to, long term, long commit) {
        return Message.builder(MessageType.HEARTBEAT).from(from).to(to).term(term).commit(commit).build();
    }

    static Message snapshot(long from, long to, long term, long index, long snapTerm, long... voters) {
        Snapshot snap = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(voters), index, snapTerm), null);
        return Message.builder(MessageType.SNAPSHOT).from(from).to(to).term(term).snapshot(snap).build();
    }
}
