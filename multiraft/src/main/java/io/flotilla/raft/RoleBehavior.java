package io.flotilla.raft;

import io.flotilla.raft.message.Message;

/**
 * What a role does on a tick and with a message that the common rules of {@link Raft#step}
 * (terms, votes) did not settle. Each role is its own class, swapped in by the transitions,
 * so no method branches on the role everywhere.
 */
sealed interface RoleBehavior permits FollowerRole, CandidateRole, LeaderRole {
    StateRole role();

    void tick(Raft r);

    void step(Raft r, Message m);
}
