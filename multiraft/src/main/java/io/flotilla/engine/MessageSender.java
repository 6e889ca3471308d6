package io.flotilla.engine;

/**
 * Hands envelopes to the network. Must not block for long: it is called from engine workers.
 * Delivery is best effort; Raft tolerates loss, duplication and reordering.
 */
@FunctionalInterface
public interface MessageSender {
    void send(Envelope envelope);
}
