package io.flotilla.engine.simulation;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client was told is committed stays committed, where it was told (Raft paper §5.3 and
 * §8: the leader answers only once the entry is committed and applied).
 *
 * <ul>
 *   <li>When a proposal's future completes with index i, the proposing replica has applied the
 *       proposal's data at i, and so does every replica that ever applies i, before or after.</li>
 *   <li>After healing, every acknowledged proposal is in every replica's applied sequence (no
 *       acknowledged write is lost to crashes, unsynced writes or a new leader).</li>
 * </ul>
 */
final class AcknowledgedWritesCheck {
    /** group -> index -> data acknowledged there. */
    private final Map<Long, TreeMap<Long, String>> acked = new HashMap<>();
    private long count;

    /**
     * A future completed with {@code index}. {@code proposer} is the acknowledging replica's
     * recorder; {@code agreed} is the group's agreed entry at that index (null if none yet).
     */
    void acknowledged(long group, long index, String data, ReplicaRecorder proposer, AppliedEntry agreed) {
        if (index < 1 || index > proposer.size() || !proposer.get((int) index - 1).data().equals(data)) {
            throw new InvariantViolation("group " + group + " on node " + proposer.node() + " acknowledged '" + data
                    + "' at index " + index + " but applied "
                    + (index >= 1 && index <= proposer.size() ? proposer.get((int) index - 1) : "nothing") + " there");
        }
        if (agreed != null && !agreed.data().equals(data)) {
            throw new InvariantViolation("group " + group + " acknowledged '" + data + "' at index " + index
                    + " where replicas applied " + agreed);
        }
        String before = acked.computeIfAbsent(group, g -> new TreeMap<>()).putIfAbsent(index, data);
        if (before != null && !before.equals(data)) {
            throw new InvariantViolation("group " + group + " acknowledged both '" + before + "' and '" + data
                    + "' at index " + index);
        }
        count++;
    }

    /** The highest index acknowledged in {@code group} so far, 0 if none. */
    long highestAcknowledged(long group) {
        TreeMap<Long, String> g = acked.get(group);
        return g == null || g.isEmpty() ? 0 : g.lastKey();
    }

    /** A replica applied {@code e}: it must be the acknowledged data if index was acknowledged. */
    void applied(long group, long node, AppliedEntry e) {
        Map<Long, String> g = acked.get(group);
        String data = g == null ? null : g.get(e.index());
        if (data != null && !data.equals(e.data())) {
            throw new InvariantViolation("group " + group + " on node " + node + " applied " + e
                    + " at an index where '" + data + "' was acknowledged");
        }
    }

    /** After healing: every acknowledged write is in {@code r}'s applied sequence, at its index. */
    void nothingLost(ReplicaRecorder r) {
        Map<Long, String> g = acked.get(r.group());
        if (g == null) {
            return;
        }
        for (Map.Entry<Long, String> a : g.entrySet()) {
            long index = a.getKey();
            if (index > r.size() || !r.get((int) index - 1).data().equals(a.getValue())) {
                throw new InvariantViolation("acknowledged '" + a.getValue() + "' at index " + index + " of group "
                        + r.group() + " is missing on node " + r.node() + " after healing (applied "
                        + r.size() + " entries" + (index <= r.size() ? ", " + r.get((int) index - 1) + " there" : "")
                        + ")");
            }
        }
    }

    long count() {
        return count;
    }
}
