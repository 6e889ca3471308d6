package io.flotilla.raft.message;

/** One step of a membership change. Adding a learner that is a voter demotes it. */
public enum ConfChangeType {
    ADD_VOTER,
    REMOVE_NODE,
    ADD_LEARNER
}
