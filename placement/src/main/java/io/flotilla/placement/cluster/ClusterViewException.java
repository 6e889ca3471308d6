package io.flotilla.placement.cluster;

/** A cluster snapshot that contradicts itself (duplicate ids, a replica on an unknown node). */
public final class ClusterViewException extends IllegalArgumentException {
    public ClusterViewException(String message) {
        super(message);
    }
}
