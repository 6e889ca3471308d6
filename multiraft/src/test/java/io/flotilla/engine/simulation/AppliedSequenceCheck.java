package io.flotilla.engine.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * State Machine Safety (Raft paper §5.4.3, Figure 3): per group there is one sequence of
 * applied entries, and what every replica applied — every incarnation, from index 1 — is a
 * prefix of it, compared by (index, term, data). The first replica to apply an index defines
 * it; every other must match.
 */
final class AppliedSequenceCheck {
    private final Map<Long, List<AppliedEntry>> canonical = new HashMap<>();
    private long entriesChecked;

    /** Checks the entries {@code r} applied since the last call; returns how many were new. */
    int catchUp(ReplicaRecorder r) {
        int from = r.checked();
        int to = r.size();
        if (from == to) {
            return 0;
        }
        List<AppliedEntry> seq = canonical.computeIfAbsent(r.group(), g -> new ArrayList<>());
        for (int pos = from; pos < to; pos++) {
            AppliedEntry e = r.get(pos);
            if (e.index() != pos + 1) {
                throw new InvariantViolation("group " + r.group() + " on node " + r.node() + " applied index "
                        + e.index() + " as its entry #" + (pos + 1) + ": entries must be applied in order, once each");
            }
            if (pos == seq.size()) {
                seq.add(e);
            } else if (!seq.get(pos).equals(e)) {
                throw new InvariantViolation("group " + r.group() + " on node " + r.node() + " applied " + e
                        + " where another replica applied " + seq.get(pos) + " (§5.4.3 State Machine Safety)");
            }
        }
        r.markChecked(to);
        entriesChecked += to - from;
        return to - from;
    }

    /** The group's agreed entry at {@code index}, or null if nobody applied it yet. */
    AppliedEntry at(long group, long index) {
        List<AppliedEntry> seq = canonical.get(group);
        return seq == null || index < 1 || index > seq.size() ? null : seq.get((int) index - 1);
    }

    /** The agreed sequence so far, for digests. */
    List<AppliedEntry> sequence(long group) {
        return canonical.getOrDefault(group, List.of());
    }

    long entriesChecked() {
        return entriesChecked;
    }
}
