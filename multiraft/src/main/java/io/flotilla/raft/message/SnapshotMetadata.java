package io.flotilla.raft.message;

import java.util.Objects;

/** The log position a snapshot replaces and the configuration in force at that position. */
public record SnapshotMetadata(ConfState confState, long index, long term) {
    public static final SnapshotMetadata EMPTY = new SnapshotMetadata(ConfState.EMPTY, 0, 0);

    public SnapshotMetadata {
        Objects.requireNonNull(confState, "confState");
    }
}
