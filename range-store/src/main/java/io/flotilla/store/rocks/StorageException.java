package io.flotilla.store.rocks;

/** The storage engine failed; the node cannot go on safely with this write or read. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Stored state that contradicts itself, found without an I/O error. */
    public StorageException(String message) {
        super(message);
    }
}
