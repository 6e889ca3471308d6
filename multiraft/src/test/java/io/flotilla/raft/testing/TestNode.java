package io.flotilla.raft.testing;

import io.flotilla.raft.RawNode;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.ReadState;
import io.flotilla.raft.Ready;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One replica with a synchronous host: every Ready is persisted to a {@link MemoryLogStorage},
 * its committed entries applied (conf changes through {@link RawNode#applyConfChange}), and
 * its messages handed to {@code outbox} in the order the Ready contract allows.
 */
public final class TestNode {
    private final RaftConfig config;
    private final MemoryLogStorage storage;
    private RawNode node;
    private final List<Entry> applied = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private ConfState confState;

    public TestNode(RaftConfig config, MemoryLogStorage storage) {
        this.config = config;
        this.storage = storage;
        this.node = new RawNode(config, storage);
        this.confState = storage.initialConfState();
    }

    public long id() {
        return config.id();
    }

    public RawNode node() {
        return node;
    }

    public MemoryLogStorage storage() {
        return storage;
    }

    public RaftConfig config() {
        return config;
    }

    /** Applied entries, in order, since this node was created (not persisted across restarts). */
    public List<Entry> applied() {
        return applied;
    }

    /** Application data applied, as strings; no-ops and conf changes left out. */
    public List<String> appliedData() {
        List<String> out = new ArrayList<>();
        for (Entry e : applied) {
            if (!e.isConfChange() && e.data().length > 0) {
                out.add(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public List<ReadState> readStates() {
        return readStates;
    }

    public ConfState confState() {
        return confState;
    }

    /** Handles one Ready if there is one; returns whether it did. */
    public boolean handleReady(Consumer<Message> outbox) {
        if (!node.hasReady()) {
            return false;
        }
        Ready rd = node.ready();
        rd.messages().forEach(outbox);
        if (rd.snapshot() != null) {
            storage.applySnapshot(rd.snapshot());
            confState = rd.snapshot().metadata().confState();
        }
        storage.append(rd.entries());
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
        }
        rd.messagesAfterPersist().forEach(outbox);
        readStates.addAll(rd.readStates());
        for (Entry e : rd.committedEntries()) {
            applied.add(e);
            if (e.isConfChange()) {
                confState = node.applyConfChange(ConfChange.decode(e.data()));
            }
        }
        node.advance(rd);
        return true;
    }

    /**
     * Simulates a crash and restart: everything not in storage is lost. Returns the new node.
     * The state machine restarts from scratch (applied index 0), so entries are re-applied.
     */
    public void restart() {
        applied.clear();
        readStates.clear();
        node = new RawNode(config, storage);
        confState = storage.initialConfState();
    }

    @Override
    public String toString() {
        return node.raft().toString();
    }
}
