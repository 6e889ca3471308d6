package io.flotilla.store.range;

/** One replica of a range: where it lives, its Raft replica id, and whether it votes. */
public record ReplicaDescriptor(long nodeId, long replicaId, boolean learner) {
}
