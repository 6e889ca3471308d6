package io.flotilla.raft;

/** The four roles of a replica (Raft paper §5.1; pre-candidate from thesis §9.6). */
public enum StateRole {
    FOLLOWER,
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
