package io.flotilla.raft;

/**
 * A confirmed read: once the state machine has applied {@code index}, a read for the request
 * identified by {@code context} is linearizable (Raft thesis §6.4).
 */
public record ReadState(long index, byte[] context) {
    @Override
    public String toString() {
        return "read@" + index + " " + new String(context, java.nio.charset.StandardCharsets.UTF_8);
    }
}
