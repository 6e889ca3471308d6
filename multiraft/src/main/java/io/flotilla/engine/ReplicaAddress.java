package io.flotilla.engine;

/** Where one replica of one group lives: replica ids are per group, node ids per process. */
public record ReplicaAddress(long groupId, long replicaId, long nodeId) {
}
