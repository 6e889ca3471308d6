package io.flotilla.raft.confchange;

/** A membership change that cannot be applied to the current configuration; nothing changed. */
public final class ConfChangeException extends RuntimeException {
    public ConfChangeException(String message) {
        super(message);
    }
}
