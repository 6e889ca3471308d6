package io.flotilla.raft.message;

/** A single add or remove of one node. */
public record ConfChangeSingle(ConfChangeType type, long nodeId) {
    public static ConfChangeSingle addVoter(long id) {
        return new ConfChangeSingle(ConfChangeType.ADD_VOTER, id);
    }

    public static ConfChangeSingle addLearner(long id) {
        return new ConfChangeSingle(ConfChangeType.ADD_LEARNER, id);
    }

    public static ConfChangeSingle remove(long id) {
        return new ConfChangeSingle(ConfChangeType.REMOVE_NODE, id);
    }
}
