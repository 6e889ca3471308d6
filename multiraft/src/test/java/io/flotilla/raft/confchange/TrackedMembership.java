package io.flotilla.raft.confchange;

import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressTracker;
import io.flotilla.raft.tracker.TrackerConfig;

import java.util.List;
import java.util.SortedMap;

/**
 * A live tracker plus the changes applied to it, as the Raft core does it: compute with a
 * {@link ConfigurationChanger}, install only on success.
 */
final class TrackedMembership {
    final ProgressTracker tracker = new ProgressTracker(4, 0);
    long lastIndex = 10;

    private ConfigurationChanger changer() {
        return new ConfigurationChanger(tracker.config(), tracker.progress(), lastIndex, tracker.newInflights());
    }

    private ChangeResult install(ChangeResult r) {
        tracker.install(r.config(), r.progress());
        return r;
    }

    ChangeResult simple(ConfChangeSingle... changes) {
        return install(changer().simple(List.of(changes)));
    }

    ChangeResult enterJoint(boolean autoLeave, ConfChangeSingle... changes) {
        return install(changer().enterJoint(autoLeave, List.of(changes)));
    }

    ChangeResult leaveJoint() {
        return install(changer().leaveJoint());
    }

    /** Adds the voters one simple change at a time. */
    static TrackedMembership ofVoters(long... ids) {
        TrackedMembership m = new TrackedMembership();
        for (long id : ids) {
            m.simple(ConfChangeSingle.addVoter(id));
        }
        return m;
    }

    TrackerConfig config() {
        return tracker.config();
    }

    SortedMap<Long, Progress> progress() {
        return tracker.progress();
    }
}
