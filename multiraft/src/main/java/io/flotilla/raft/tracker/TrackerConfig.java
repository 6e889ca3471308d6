package io.flotilla.raft.tracker;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.quorum.JointConfig;
import io.flotilla.raft.quorum.MajorityConfig;

import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A membership configuration: the (possibly joint) voters, the learners, and the voters that
 * turn into learners when the joint configuration is left. Immutable; changes make new ones.
 */
public record TrackerConfig(JointConfig voters, SortedSet<Long> learners, SortedSet<Long> learnersNext,
                            boolean autoLeave) {

    public static final TrackerConfig EMPTY = new TrackerConfig(JointConfig.simple(MajorityConfig.EMPTY),
            new TreeSet<>(), new TreeSet<>(), false);

    public TrackerConfig {
        Objects.requireNonNull(voters, "voters");
        learners = frozen(learners);
        learnersNext = frozen(learnersNext);
    }

    // Most groups have no learners: they all share one empty set rather than three objects each.
    private static SortedSet<Long> frozen(SortedSet<Long> ids) {
        return ids.isEmpty() ? java.util.Collections.emptySortedSet()
                : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(ids));
    }

    public boolean isLearner(long id) {
        return !learners.isEmpty() && learners.contains(id); // no boxing in the common case
    }

    public boolean isVoter(long id) {
        return voters.contains(id);
    }

    /** A voter of either half, a learner, or a voter on its way to becoming a learner. */
    public boolean isMember(long id) {
        return voters.contains(id) || isLearner(id) || (!learnersNext.isEmpty() && learnersNext.contains(id));
    }

    /** Voters and learners, ascending. */
    public SortedSet<Long> members() {
        TreeSet<Long> all = new TreeSet<>(voters.ids());
        all.addAll(learners);
        all.addAll(learnersNext);
        return all;
    }

    public ConfState toConfState() {
        return new ConfState(voters.incoming().ids(), learners.stream().toList(), voters.outgoing().ids(),
                learnersNext.stream().toList(), autoLeave);
    }

    public TrackerConfig withLearners(Set<Long> newLearners, Set<Long> newLearnersNext) {
        return new TrackerConfig(voters, new TreeSet<>(newLearners), new TreeSet<>(newLearnersNext), autoLeave);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("voters=").append(voters);
        if (!learners.isEmpty()) {
            s.append(" learners=").append(learners);
        }
        if (!learnersNext.isEmpty()) {
            s.append(" learnersNext=").append(learnersNext);
        }
        if (autoLeave) {
            s.append(" autoleave");
        }
        return s.toString();
    }
}
