package io.flotilla.raft.quorum;

/** Tells, for a voter, the highest log index known to be durable on it; 0 when nothing is known. */
@FunctionalInterface
public interface AckedIndexer {
    long ackedIndex(long voterId);
}
