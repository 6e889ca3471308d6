package io.flotilla.raft.log;

/** Why a log storage could not answer. The kinds are closed: the core reacts to each one. */
public abstract sealed class LogStorageException extends RuntimeException
        permits LogStorageException.Compacted, LogStorageException.Unavailable,
        LogStorageException.SnapshotTemporarilyUnavailable {

    LogStorageException(String message) {
        super(message, null, false, false);
    }

    /** The requested index is at or below the compaction point: only a snapshot can help. */
    public static final class Compacted extends LogStorageException {
        public Compacted(long index, long firstIndex) {
            super("index " + index + " is compacted; first available index is " + firstIndex);
        }
    }

    /** The requested index is beyond the end of the log. */
    public static final class Unavailable extends LogStorageException {
        public Unavailable(long index, long lastIndex) {
            super("index " + index + " is beyond the last index " + lastIndex);
        }
    }

    /** A snapshot is being prepared; the leader should retry later. */
    public static final class SnapshotTemporarilyUnavailable extends LogStorageException {
        public SnapshotTemporarilyUnavailable() {
            super("snapshot temporarily unavailable");
        }
    }
}
