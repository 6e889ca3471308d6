package io.flotilla.transport.raft;

/**
 * A peer sent something that does not decode into engine types. The receiver drops that one
 * envelope (or refuses that one snapshot), counts it and carries on: bad input from the network
 * must never reach a Raft group, where a local message kind or a snapshot without data would do
 * real harm.
 */
public final class EnvelopeDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was wrong, for counters and tests. */
    public enum Reason {
        /** The message type's name is not a {@link io.flotilla.raft.message.MessageType}. */
        UNKNOWN_MESSAGE_TYPE,
        /** A local-only message kind (HUP, BEAT, ...) arrived from the network. */
        LOCAL_MESSAGE_TYPE,
        /** An entry type this version does not know. */
        UNKNOWN_ENTRY_TYPE,
        /** A SNAPSHOT message on the envelope stream: its data travels only on the Snapshot call. */
        SNAPSHOT_OFF_SNAPSHOT_CALL,
        /** A SNAPSHOT message without its metadata. */
        MISSING_SNAPSHOT_METADATA,
        /** Snapshot metadata on a message kind that carries none. */
        UNEXPECTED_SNAPSHOT,
        /** A group message without its Raft message. */
        MISSING_MESSAGE,
        /** The envelope's nodes do not match the stream it came on. */
        MISADDRESSED,
        /** A stream frame with no body. */
        EMPTY_FRAME
    }

    private final Reason reason;

    public EnvelopeDecodeException(Reason reason, String message) {
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
