package io.flotilla.raft.confchange;

import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.tracker.ProgressTracker;

import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a tracker's configuration from a persisted {@link ConfState} by replaying it as a
 * series of changes, so restoring goes through the same validated path as changing.
 */
public final class ConfStateRestorer {
    private ConfStateRestorer() {
    }

    public static void restore(ProgressTracker tracker, ConfState cs, long lastIndex) {
        List<ConfChangeSingle> outgoing = new ArrayList<>();
        for (long id : cs.votersOutgoing()) {
            outgoing.add(ConfChangeSingle.addVoter(id));
        }
        List<ConfChangeSingle> incoming = new ArrayList<>();
        // In a joint state the incoming half starts as a copy of the outgoing one: clear it first.
        for (long id : cs.votersOutgoing()) {
            incoming.add(ConfChangeSingle.remove(id));
        }
        for (long id : cs.voters()) {
            incoming.add(ConfChangeSingle.addVoter(id));
        }
        for (long id : cs.learners()) {
            incoming.add(ConfChangeSingle.addLearner(id));
        }
        // Voters on their way to becoming learners: demoting an outgoing voter lands in learnersNext.
        for (long id : cs.learnersNext()) {
            incoming.add(ConfChangeSingle.addLearner(id));
        }
        if (outgoing.isEmpty()) {
            for (ConfChangeSingle c : incoming) {
                apply(tracker, lastIndex, false, List.of(c), false);
            }
        } else {
            for (ConfChangeSingle c : outgoing) {
                apply(tracker, lastIndex, false, List.of(c), false);
            }
            apply(tracker, lastIndex, true, incoming, cs.autoLeave());
        }
    }

    private static void apply(ProgressTracker tracker, long lastIndex, boolean joint, List<ConfChangeSingle> cc,
                              boolean autoLeave) {
        ConfigurationChanger changer = new ConfigurationChanger(tracker.config(),
                tracker.isTracking() ? tracker.progress() : null, lastIndex, tracker.newInflights());
        ChangeResult r = joint ? changer.enterJoint(autoLeave, cc) : changer.simple(cc);
        tracker.install(r.config(), r.progress());
    }
}
