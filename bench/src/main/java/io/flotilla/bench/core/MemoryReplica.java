package io.flotilla.bench.core;

import io.flotilla.raft.RawNode;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.Ready;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;

import java.util.List;

/**
 * One replica with the smallest correct synchronous host: each Ready is handled in the order
 * its contract asks (send, persist to a {@link MemoryLogStorage}, send what waited for
 * persistence, apply, advance). The "state machine" only counts what it applies, so the
 * benchmarks measure Raft and the host loop, not an application.
 */
public final class MemoryReplica {
    private final RawNode node;
    private final MemoryLogStorage storage;
    private final ConfState confState;
    private long appliedIndex;
    private long appliedDataEntries;
    private long appliedBytes;

    public MemoryReplica(RaftConfig config, MemoryLogStorage storage) {
        this.node = new RawNode(config, storage);
        this.storage = storage;
        // The benchmarks never change membership, so the initial configuration stays in force.
        this.confState = storage.initialConfState();
    }

    public long id() {
        return node.raft().id();
    }

    public RawNode node() {
        return node;
    }

    public MemoryLogStorage storage() {
        return storage;
    }

    /** The index of the last entry applied to this replica's state machine. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** Application entries applied (the leader's empty no-op is not counted). */
    public long appliedDataEntries() {
        return appliedDataEntries;
    }

    public long appliedBytes() {
        return appliedBytes;
    }

    /** Handles one Ready if there is one; returns whether it did. */
    public boolean handleReady(MessageSink out) {
        if (!node.hasReady()) {
            return false;
        }
        Ready rd = node.ready();
        sendAll(rd.messages(), out);
        if (rd.snapshot() != null) {
            storage.applySnapshot(rd.snapshot());
        }
        storage.append(rd.entries());
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
        }
        sendAll(rd.messagesAfterPersist(), out);
        apply(rd.committedEntries());
        node.advance(rd);
        return true;
    }

    private static void sendAll(List<Message> messages, MessageSink out) {
        for (int i = 0; i < messages.size(); i++) {
            out.send(messages.get(i));
        }
    }

    private void apply(List<Entry> committed) {
        for (int i = 0; i < committed.size(); i++) {
            Entry e = committed.get(i);
            int n = e.data().length;
            if (n > 0) {
                appliedDataEntries++;
                appliedBytes += n;
            }
            appliedIndex = e.index();
        }
    }

    /**
     * Bounds memory as a real host does: snapshot the (trivial) state at {@code index} and drop
     * the log up to it. Does nothing while fewer than {@code maxRetained} entries are held or
     * {@code index} is not past the current snapshot.
     *
     * @param index an applied index that no peer still needs entries below
     */
    public void compactTo(long index, int maxRetained) {
        long first = storage.firstIndex();
        if (storage.lastIndex() - first + 1 <= maxRetained || index < first || index > appliedIndex) {
            return;
        }
        storage.createSnapshot(index, confState, null);
        storage.compact(index);
    }
}
