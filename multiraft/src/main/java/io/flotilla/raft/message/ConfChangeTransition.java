package io.flotilla.raft.message;

/**
 * How a change is carried out (Raft thesis §4.3). AUTO uses a one-step change when only one
 * voter changes and joint consensus otherwise, leaving the joint configuration by itself.
 */
public enum ConfChangeTransition {
    AUTO,
    /** Joint consensus, left automatically once the entering entry applies. */
    JOINT_IMPLICIT,
    /** Joint consensus, left only when the application proposes an empty change. */
    JOINT_EXPLICIT
}
