package io.flotilla.placement.cluster;

/** One replica of a range: where it lives, its Raft id, and whether it votes. */
public record Replica(long nodeId, long replicaId, boolean learner) {

    public Replica {
        if (nodeId <= 0 || replicaId <= 0) {
            throw new IllegalArgumentException("replica ids must be positive, got node " + nodeId + " replica " + replicaId);
        }
    }

    public static Replica voter(long nodeId, long replicaId) {
        return new Replica(nodeId, replicaId, false);
    }

    public static Replica learner(long nodeId, long replicaId) {
        return new Replica(nodeId, replicaId, true);
    }

    public boolean isVoter() {
        return !learner;
    }
}
