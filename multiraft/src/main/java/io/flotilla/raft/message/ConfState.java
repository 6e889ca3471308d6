package io.flotilla.raft.message;

import java.util.List;

/**
 * A membership configuration as it is persisted with snapshots. In a joint configuration
 * {@code votersOutgoing} holds the old voters; {@code learnersNext} holds voters that become
 * learners when the joint configuration is left.
 */
public record ConfState(List<Long> voters, List<Long> learners, List<Long> votersOutgoing,
                        List<Long> learnersNext, boolean autoLeave) {

    public static final ConfState EMPTY = new ConfState(List.of(), List.of(), List.of(), List.of(), false);

    public ConfState {
        voters = sorted(voters);
        learners = sorted(learners);
        votersOutgoing = sorted(votersOutgoing);
        learnersNext = sorted(learnersNext);
    }

    public static ConfState ofVoters(long... ids) {
        return new ConfState(java.util.Arrays.stream(ids).boxed().toList(), List.of(), List.of(), List.of(), false);
    }

    public boolean isJoint() {
        return !votersOutgoing.isEmpty();
    }

    private static List<Long> sorted(List<Long> ids) {
        return ids == null ? List.of() : ids.stream().sorted().distinct().toList();
    }
}
