package io.flotilla.raft;

/** State that need not be persisted: who leads and what this replica is. */
public record SoftState(long lead, StateRole role) {
}
