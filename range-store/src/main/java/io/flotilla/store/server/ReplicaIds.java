package io.flotilla.store.server;

import io.flotilla.store.range.RangeDescriptor;

/**
 * The replica id a range's new replica on a node gets. Raft requires that an id once removed
 * from a group never returns (a returning id could carry a vote or log of its earlier life), and
 * a descriptor does not remember removed replicas. It does not need to: the id is derived from
 * the conf version the addition is proposed at, {@code (confVersion + 1) << 32 | nodeId}, and
 * the conf version rises with every membership change, so a later addition can never derive an
 * earlier id. Initial replicas use their node id, which lies below 2^31, so they never collide
 * with a derived one; a split's child inherits its parent's replicas and conf version, and so
 * its history.
 */
public final class ReplicaIds {
    private ReplicaIds() {
    }

    public static long forNewReplica(RangeDescriptor range, long nodeId) {
        NodeConfig.checkNodeId(nodeId);
        return ((range.confVersion() + 1) << 32) | nodeId;
    }
}
