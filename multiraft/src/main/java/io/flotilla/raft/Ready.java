package io.flotilla.raft;

import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.Snapshot;

import java.util.List;

/**
 * Work for the host, produced by {@link RawNode#ready()} and acknowledged by
 * {@link RawNode#advance(Ready)}. The host must, in this order:
 * <ol>
 *   <li>send {@link #messages()} (they may leave before persisting; thesis §10.2.1);</li>
 *   <li>persist {@link #snapshot()}, {@link #entries()} and {@link #hardState()}, syncing if
 *       {@link #mustSync()};</li>
 *   <li>then send {@link #messagesAfterPersist()}: they claim the persisted state;</li>
 *   <li>apply {@link #committedEntries()} in order (after persisting: they may include entries
 *       of this very Ready);</li>
 *   <li>call advance.</li>
 * </ol>
 *
 * @param softState            the new lead/role, or null if unchanged
 * @param hardState            the hard state to persist, or null if unchanged
 * @param readStates           reads confirmed since the last Ready
 * @param entries              entries to persist
 * @param snapshot             a snapshot to persist and install, or null
 * @param committedEntries     entries to apply
 * @param messages             messages to send at once
 * @param messagesAfterPersist messages to send only after this Ready is durable
 * @param mustSync             whether the write must be synced: term, vote or entries changed
 */
public record Ready(SoftState softState, HardState hardState, List<ReadState> readStates, List<Entry> entries,
                    Snapshot snapshot, List<Entry> committedEntries, List<Message> messages,
                    List<Message> messagesAfterPersist, boolean mustSync) {

    /** Everything to send, in the order it may leave (for hosts that persist synchronously). */
    public List<Message> allMessages() {
        if (messagesAfterPersist.isEmpty()) {
            return messages;
        }
        if (messages.isEmpty()) {
            return messagesAfterPersist;
        }
        List<Message> all = new java.util.ArrayList<>(messages.size() + messagesAfterPersist.size());
        all.addAll(messages);
        all.addAll(messagesAfterPersist);
        return all;
    }
}
