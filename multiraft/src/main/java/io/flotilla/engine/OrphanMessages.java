package io.flotilla.engine;

import io.flotilla.raft.message.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages for groups not (yet) hosted here, kept briefly and handed over when the group is
 * created: after a split, the child's leader may ask for votes before a follower has applied
 * the split, and dropping those requests would cost a whole election timeout. Bounded in count
 * and in time: past either, Raft's own retries take over.
 */
final class OrphanMessages {
    static final int MAX = 10_000;
    /** Ticks after which kept messages are dropped: a group that has not appeared by then is not about to. */
    static final int EXPIRY_TICKS = 20;

    private final Map<Long, List<Message>> byGroup = new LinkedHashMap<>();
    private int count;

    synchronized void keep(long groupId, Message m) {
        if (count >= MAX) {
            return;
        }
        byGroup.computeIfAbsent(groupId, k -> new ArrayList<>()).add(m);
        count++;
    }

    /** Removes and returns what was kept for {@code groupId}, oldest first; null if nothing. */
    synchronized List<Message> take(long groupId) {
        List<Message> early = byGroup.remove(groupId);
        count -= early == null ? 0 : early.size();
        return early;
    }

    /** Called every tick: drops everything every {@link #EXPIRY_TICKS} ticks. */
    synchronized void onTick(long now) {
        if (now % EXPIRY_TICKS == 0) {
            byGroup.clear();
            count = 0;
        }
    }
}
