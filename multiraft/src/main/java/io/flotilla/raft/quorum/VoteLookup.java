package io.flotilla.raft.quorum;

/** Tells how a voter answered: {@link #GRANTED}, {@link #REJECTED} or {@link #MISSING}. */
@FunctionalInterface
public interface VoteLookup {
    int GRANTED = 1;
    int REJECTED = -1;
    int MISSING = 0;

    int vote(long voterId);
}
