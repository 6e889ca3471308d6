package io.flotilla.engine;

import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;

import java.util.List;

/**
 * Durable Raft state of every group on a node, written in batches: one cycle's entries and
 * hard states for all groups go in one {@link WriteBatch} with at most one sync.
 */
public interface LogStore {
    /** The read view of one group's log that its RawNode uses; created if absent. */
    LogStorage storage(long groupId);

    /** Forgets a group's state (after the group is removed from this node). */
    void remove(long groupId);

    WriteBatch newBatch();

    /** One atomic write across groups. */
    interface WriteBatch {
        void append(long groupId, List<Entry> entries);

        void setHardState(long groupId, HardState hardState);

        void applySnapshot(long groupId, Snapshot snapshot);

        boolean isEmpty();

        /** Writes everything; with {@code sync}, returns only once it is durable. */
        void commit(boolean sync);
    }
}
