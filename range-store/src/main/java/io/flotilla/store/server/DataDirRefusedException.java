package io.flotilla.store.server;

/** The data directory belongs to another node or cluster, or holds something that is not a node's data. */
public final class DataDirRefusedException extends RuntimeException {
    public DataDirRefusedException(String message) {
        super(message);
    }
}
