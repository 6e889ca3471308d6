package io.flotilla.raft.message;

import java.util.Objects;

/** A state machine image standing in for the log up to {@code metadata.index} (Raft paper §7). */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {
    public static final Snapshot EMPTY = new Snapshot(SnapshotMetadata.EMPTY, new byte[0]);

    public Snapshot {
        Objects.requireNonNull(metadata, "metadata");
        data = data == null ? new byte[0] : data;
    }

    public boolean isEmpty() {
        return metadata.index() == 0;
    }

    public long index() {
        return metadata.index();
    }

    public long term() {
        return metadata.term();
    }

    @Override
    public String toString() {
        return "snapshot@" + metadata.term() + "/" + metadata.index() + " " + metadata.confState();
    }
}
