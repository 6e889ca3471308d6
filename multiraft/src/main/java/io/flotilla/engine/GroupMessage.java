package io.flotilla.engine;

import io.flotilla.raft.message.Message;

/** A Raft message addressed to one group. */
public record GroupMessage(long groupId, Message message) {
}
