package io.flotilla.raft.interaction;

import io.flotilla.raft.Raft;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.RawNode;
import io.flotilla.raft.ReadState;
import io.flotilla.raft.Ready;
import io.flotilla.raft.confchange.ConfChangeException;
import io.flotilla.raft.log.LogStorageException;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One replica with a synchronous host that narrates what it does with each Ready: persist to a
 * {@link MemoryLogStorage}, hand messages to the network, apply committed entries to a tiny
 * state machine (the applied commands, by index), apply membership changes, advance.
 *
 * <p>A crash drops the {@link RawNode} and the state machine; the storage survives. A restart
 * rebuilds both from storage and the snapshot, then re-applies the committed log.</p>
 */
final class ScriptNode {
    private final RaftConfig config;
    private final MemoryLogStorage storage;
    private RawNode node;
    /** The state machine: the data of every applied command, by log index. */
    private final TreeMap<Long, String> stateMachine = new TreeMap<>();
    /** The configuration in force from each index on, so a snapshot can record the right one. */
    private final TreeMap<Long, ConfState> confHistory = new TreeMap<>();

    ScriptNode(RaftConfig config, MemoryLogStorage storage) {
        this.config = config;
        this.storage = storage;
        start();
    }

    private void start() {
        node = new RawNode(config, new OnDemandSnapshots(storage, this::currentSnapshot));
        Snapshot snap = storage.snapshot();
        stateMachine.clear();
        stateMachine.putAll(decode(snap.data()));
        confHistory.clear();
        confHistory.put(snap.index(), storage.initialConfState());
    }

    /** The configuration this node last applied (or restored). */
    ConfState confState() {
        return confHistory.lastEntry().getValue();
    }

    long id() {
        return config.id();
    }

    boolean crashed() {
        return node == null;
    }

    void crash() {
        node = null;
    }

    /** Starts again from what storage holds; memory (including the state machine) is lost. */
    void restart() {
        start();
    }

    RawNode node() {
        if (node == null) {
            throw new ScriptException("node " + id() + " is crashed");
        }
        return node;
    }

    Raft raft() {
        return node().raft();
    }

    MemoryLogStorage storage() {
        return storage;
    }

    /** The applied commands in log order. */
    List<String> stateMachine() {
        return List.copyOf(stateMachine.values());
    }

    /**
     * Handles one Ready if there is one, describing it into {@code out} (indented under a
     * {@code > id ready} header). Returns whether there was one.
     */
    boolean handleReady(Network network, List<String> out) {
        if (node == null || !node.hasReady()) {
            return false;
        }
        Ready rd = node.ready();
        out.add("> " + id() + " ready");
        if (rd.softState() != null) {
            out.add("  soft: " + rd.softState().role() + " lead=" + rd.softState().lead());
        }
        if (rd.hardState() != null) {
            out.add("  hard: " + Formats.hardState(rd.hardState()));
        }
        // Persist first: snapshot, entries, hard state.
        if (rd.snapshot() != null) {
            out.add("  snapshot: " + Formats.snapshot(rd.snapshot()));
            storage.applySnapshot(rd.snapshot());
            installSnapshot(rd.snapshot());
        }
        if (!rd.entries().isEmpty()) {
            out.add("  append: " + Formats.entries(rd.entries()));
            storage.append(rd.entries());
        }
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
        }
        // Then apply what is committed, membership changes included.
        if (!rd.committedEntries().isEmpty()) {
            out.add("  apply: " + Formats.entries(rd.committedEntries()));
        }
        for (Entry e : rd.committedEntries()) {
            apply(e, out);
        }
        for (ReadState rs : rd.readStates()) {
            out.add("  read-state: " + Formats.readState(rs));
        }
        // The host persisted synchronously, so every message may leave now, in contract order.
        for (Message m : rd.messages()) {
            out.add("  send: " + Formats.message(id(), m));
            network.send(id(), m);
        }
        for (Message m : rd.messagesAfterPersist()) {
            out.add("  send-after-persist: " + Formats.message(id(), m));
            network.send(id(), m);
        }
        node.advance(rd);
        return true;
    }

    private void apply(Entry e, List<String> out) {
        if (e.isConfChange()) {
            ConfChange cc = ConfChange.decode(e.data());
            if (confState().voters().isEmpty() && confState().votersOutgoing().isEmpty()) {
                // A node that never learned the configuration before this change would build
                // one from nothing (adding itself: a group of one that elects itself). The
                // bootstrap configuration was not in the log it was sent: a host must seed such
                // a node with a snapshot (bootstrap with index=K, or compact before adding).
                throw new ScriptException("node " + id() + " applies " + Formats.confChange(cc) + " at index "
                        + e.index() + " without knowing the configuration before it");
            }
            try {
                ConfState cs = node.applyConfChange(cc);
                confHistory.put(e.index(), cs);
                out.add("  conf: " + Formats.confChange(cc) + " => " + Formats.confState(cs));
            } catch (ConfChangeException ex) {
                out.add("  conf: " + Formats.confChange(cc) + " refused: " + ex.getMessage());
            }
        } else if (e.data().length > 0) {
            stateMachine.put(e.index(), new String(e.data(), StandardCharsets.UTF_8));
        }
    }

    private void installSnapshot(Snapshot snap) {
        stateMachine.clear();
        stateMachine.putAll(decode(snap.data()));
        confHistory.clear();
        confHistory.put(snap.index(), snap.metadata().confState());
    }

    /**
     * Takes a snapshot of the state machine at {@code index} (which must be applied) and drops
     * the log up to it, as a host does to bound its log. Returns an error text, or null.
     */
    String compact(long index) {
        if (index > raft().log().applied()) {
            return "error: index " + index + " is not applied (applied=" + raft().log().applied() + ")";
        }
        try {
            ConfState cs = confHistory.floorEntry(index).getValue();
            storage.createSnapshot(index, cs, encode(stateMachine.headMap(index, true)));
            storage.compact(index);
            return null;
        } catch (LogStorageException e) {
            return "error: " + e.getMessage();
        }
    }

    /** A snapshot of the state machine as applied now: what a follower that needs one gets. */
    private Snapshot currentSnapshot() {
        long applied = node.raft().log().applied();
        ConfState cs = confHistory.floorEntry(applied).getValue();
        return new Snapshot(new SnapshotMetadata(cs, applied, storage.term(applied)),
                encode(stateMachine.headMap(applied, true)));
    }

    private static byte[] encode(Map<Long, String> data) {
        StringBuilder s = new StringBuilder();
        data.forEach((i, d) -> s.append(i).append(' ').append(d).append('\n'));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<Long, String> decode(byte[] data) {
        Map<Long, String> out = new TreeMap<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                int sp = line.indexOf(' ');
                out.put(Long.parseLong(line.substring(0, sp)), line.substring(sp + 1));
            }
        }
        return out;
    }
}
