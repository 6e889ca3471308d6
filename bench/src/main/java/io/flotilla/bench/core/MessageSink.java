package io.flotilla.bench.core;

import io.flotilla.raft.message.Message;

/** Where a replica's outgoing messages go: the in-memory network, or nowhere in a step benchmark. */
@FunctionalInterface
public interface MessageSink {
    void send(Message m);
}
