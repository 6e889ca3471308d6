package io.flotilla.raft;

/** A {@link RaftConfig} that cannot work; names the setting and why. */
public final class RaftConfigException extends IllegalArgumentException {
    public RaftConfigException(String message) {
        super(message);
    }
}
