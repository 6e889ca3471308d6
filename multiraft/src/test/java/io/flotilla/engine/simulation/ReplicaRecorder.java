package io.flotilla.engine.simulation;

import io.flotilla.engine.GroupStateMachine;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The state machine of one incarnation of one replica: it records every entry it is given, in
 * order, so the checkers can compare what replicas applied. A restarted node gets a fresh
 * recorder, which re-applies the log from the start.
 */
final class ReplicaRecorder implements GroupStateMachine {
    private final long group;
    private final long node;
    private final List<AppliedEntry> applied = new ArrayList<>();
    /** How many of {@link #applied} the sequence check has already looked at. */
    private int checked;

    ReplicaRecorder(long group, long node) {
        this.group = group;
        this.node = node;
    }

    @Override
    public void apply(Entry entry) {
        applied.add(AppliedEntry.of(entry));
    }

    @Override
    public void restore(Snapshot snapshot) {
        // Nothing in the simulation compacts a log, so no snapshot should ever be sent; one
        // would also make the from-the-start comparison below meaningless.
        throw new IllegalStateException("unexpected snapshot at index " + snapshot.index() + " for group " + group
                + " on node " + node);
    }

    long group() {
        return group;
    }

    long node() {
        return node;
    }

    int size() {
        return applied.size();
    }

    AppliedEntry get(int position) {
        return applied.get(position);
    }

    /** The last applied index, or 0 if nothing was applied yet. */
    long lastIndex() {
        return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).index();
    }

    List<AppliedEntry> entries() {
        return List.copyOf(applied);
    }

    int checked() {
        return checked;
    }

    void markChecked(int upTo) {
        checked = upTo;
    }
}
