package io.flotilla.store.rocks;

/** The storage engine failed; the node cannot go on safely with this write or read. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
