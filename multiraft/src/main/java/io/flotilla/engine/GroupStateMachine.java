package io.flotilla.engine;

import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;

/**
 * The application state of one group. Entries arrive in log order, each exactly once per
 * incarnation; membership-change entries are applied to Raft by the engine and also passed
 * here so the application can record them.
 */
public interface GroupStateMachine {
    void apply(Entry entry);

    /** Replaces the state with a snapshot's contents. */
    default void restore(Snapshot snapshot) {
    }
}
