package io.flotilla.raft.confchange;

import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.quorum.JointConfig;
import io.flotilla.raft.quorum.MajorityConfig;
import io.flotilla.raft.tracker.Inflights;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.TrackerConfig;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the configuration that a membership change leads to, without touching the live
 * one (Raft thesis §4.1 one-at-a-time changes, §4.3 joint consensus). Progress objects of
 * members that stay are carried over as they are; new members get fresh ones. A replica that
 * tracks no progress (it does not lead) passes none and gets none back.
 */
public final class ConfigurationChanger {
    private final TrackerConfig base;
    private final SortedMap<Long, Progress> baseProgress;
    private final long lastIndex;
    private final Inflights inflightsTemplate;

    /** @param progress the live progress of every member, or null when none is tracked */
    public ConfigurationChanger(TrackerConfig base, SortedMap<Long, Progress> progress, long lastIndex,
                                Inflights inflightsTemplate) {
        this.base = base;
        this.baseProgress = progress;
        this.lastIndex = lastIndex;
        this.inflightsTemplate = inflightsTemplate;
    }

    /** Enters a joint configuration: the current voters become the outgoing half. */
    public ChangeResult enterJoint(boolean autoLeave, List<ConfChangeSingle> changes) {
        if (base.voters().isJoint()) {
            throw new ConfChangeException("configuration is already joint");
        }
        if (base.voters().incoming().isEmpty()) {
            throw new ConfChangeException("cannot make a zero-voter configuration joint");
        }
        Draft d = new Draft(base, baseProgress);
        d.outgoing = new TreeSet<>(d.incoming);
        apply(d, changes);
        d.autoLeave = autoLeave;
        return d.finish();
    }

    /**
     * Leaves the joint configuration: the outgoing half is dropped, voters demoted during the
     * joint phase become learners, and members in neither half lose their progress.
     */
    public ChangeResult leaveJoint() {
        if (!base.voters().isJoint()) {
            throw new ConfChangeException("cannot leave a configuration that is not joint");
        }
        Draft d = new Draft(base, baseProgress);
        d.learners.addAll(d.learnersNext);
        d.learnersNext.clear();
        for (long id : d.outgoing) {
            if (!d.incoming.contains(id) && !d.learners.contains(id)) {
                d.drop(id);
            }
        }
        d.outgoing.clear();
        d.autoLeave = false;
        return d.finish();
    }

    /** Applies changes that alter at most one voter, without joint consensus (thesis §4.1). */
    public ChangeResult simple(List<ConfChangeSingle> changes) {
        if (base.voters().isJoint()) {
            throw new ConfChangeException("cannot apply a simple change to a joint configuration");
        }
        Draft d = new Draft(base, baseProgress);
        apply(d, changes);
        TreeSet<Long> before = new TreeSet<>(base.voters().incoming().ids());
        TreeSet<Long> diff = new TreeSet<>(before);
        diff.addAll(d.incoming);
        TreeSet<Long> both = new TreeSet<>(before);
        both.retainAll(d.incoming);
        diff.removeAll(both);
        if (diff.size() > 1) {
            throw new ConfChangeException("more than one voter changed without joint consensus");
        }
        return d.finish();
    }

    private void apply(Draft d, List<ConfChangeSingle> changes) {
        for (ConfChangeSingle c : changes) {
            if (c.nodeId() <= 0) {
                throw new ConfChangeException("node id must be positive: " + c.nodeId());
            }
            switch (c.type()) {
                case ADD_VOTER -> makeVoter(d, c.nodeId());
                case ADD_LEARNER -> makeLearner(d, c.nodeId());
                case REMOVE_NODE -> remove(d, c.nodeId());
            }
        }
        if (d.incoming.isEmpty()) {
            throw new ConfChangeException("removed all voters");
        }
    }

    private void makeVoter(Draft d, long id) {
        if (!d.members.contains(id)) {
            d.incoming.add(id);
            d.add(id, () -> Progress.fresh(lastIndex + 1, inflightsTemplate, false));
            return;
        }
        d.learners.remove(id);
        d.learnersNext.remove(id);
        d.incoming.add(id);
    }

    private void makeLearner(Draft d, long id) {
        if (!d.members.contains(id)) {
            d.learners.add(id);
            d.add(id, () -> Progress.fresh(lastIndex + 1, inflightsTemplate, true));
            return;
        }
        if (d.learners.contains(id)) {
            return;
        }
        // Demote: take it out of the incoming voters but keep its progress.
        d.incoming.remove(id);
        d.learners.remove(id);
        d.learnersNext.remove(id);
        if (d.outgoing.contains(id)) {
            // Still an outgoing voter: it becomes a learner only when the joint phase ends,
            // since a node cannot be a voter and a learner at once.
            d.learnersNext.add(id);
        } else {
            d.learners.add(id);
        }
    }

    private void remove(Draft d, long id) {
        if (!d.members.contains(id)) {
            return;
        }
        d.incoming.remove(id);
        d.learners.remove(id);
        d.learnersNext.remove(id);
        if (!d.outgoing.contains(id)) {
            d.drop(id);
        }
    }

    /** A mutable working copy; progress objects are copied so the live ones stay untouched. */
    private static final class Draft {
        final TreeSet<Long> incoming;
        TreeSet<Long> outgoing;
        final TreeSet<Long> learners;
        final TreeSet<Long> learnersNext;
        /** Every member; membership is decided on this, whether or not progress is tracked. */
        final TreeSet<Long> members;
        /** Null when the base tracks no progress. */
        final TreeMap<Long, Progress> progress;
        boolean autoLeave;

        Draft(TrackerConfig cfg, SortedMap<Long, Progress> live) {
            incoming = new TreeSet<>(cfg.voters().incoming().ids());
            outgoing = new TreeSet<>(cfg.voters().outgoing().ids());
            learners = new TreeSet<>(cfg.learners());
            learnersNext = new TreeSet<>(cfg.learnersNext());
            members = new TreeSet<>(cfg.members());
            autoLeave = cfg.autoLeave();
            // Members that stay keep their Progress object and so their replication state. The
            // draft never mutates them (learner flags follow the configuration when it is
            // installed), so a change that fails leaves the live tracker exactly as it was.
            progress = live == null ? null : new TreeMap<>(live);
        }

        void add(long id, java.util.function.Supplier<Progress> fresh) {
            members.add(id);
            if (progress != null) {
                progress.put(id, fresh.get());
            }
        }

        void drop(long id) {
            members.remove(id);
            if (progress != null) {
                progress.remove(id);
            }
        }

        ChangeResult finish() {
            TrackerConfig cfg = new TrackerConfig(
                    new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing)),
                    learners, learnersNext, autoLeave);
            checkInvariants(cfg);
            return new ChangeResult(cfg, progress);
        }

        private void checkInvariants(TrackerConfig cfg) {
            for (long id : cfg.members()) {
                if (!members.contains(id) || (progress != null && !progress.containsKey(id))) {
                    throw new ConfChangeException("no progress for member " + id);
                }
            }
            for (long id : cfg.learnersNext()) {
                if (!cfg.voters().outgoing().contains(id)) {
                    throw new ConfChangeException(id + " is in learnersNext but not an outgoing voter");
                }
            }
            for (long id : cfg.learners()) {
                if (cfg.voters().contains(id)) {
                    throw new ConfChangeException(id + " is both a learner and a voter");
                }
            }
        }
    }
}
