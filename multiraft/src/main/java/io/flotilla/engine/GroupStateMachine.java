package io.flotilla.engine;

import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;

/**
 * The application state of one group. Entries arrive in log order, each exactly once per
 * incarnation, after they are durable in the log.
 */
public interface GroupStateMachine {
    /**
     * The last index whose effects are durable in this state machine: on restart Raft resumes
     * applying after it. An in-memory state machine returns 0 and is rebuilt from the log.
     */
    default long appliedIndex() {
        return 0;
    }

    void apply(Entry entry);

    /**
     * A membership-change entry was applied to Raft; {@code confState} is the configuration now
     * in force. A durable state machine records it with its applied index, so a restart
     * resumes with the members that were in force there.
     */
    default void applyConfChange(Entry entry, ConfChange change, ConfState confState) {
        apply(entry);
    }

    /**
     * Replaces the state with a snapshot's contents. Called before the log records the snapshot
     * (so a crash may leave this state machine ahead of its log, never behind it); a durable
     * state machine must make the replacement whole across a crash, and its host must finish
     * the log's side at load: see range-store's {@code SnapshotRecovery}.
     */
    default void restore(Snapshot snapshot) {
    }
}
