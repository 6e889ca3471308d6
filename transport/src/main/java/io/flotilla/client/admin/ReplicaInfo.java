package io.flotilla.client.admin;

/** One replica of a range: the node holding it, its replica id, and whether it only learns. */
public record ReplicaInfo(long nodeId, long replicaId, boolean learner) {
    static ReplicaInfo from(io.flotilla.transport.proto.Replica replica) {
        return new ReplicaInfo(replica.getNodeId(), replica.getReplicaId(), replica.getLearner());
    }
}
