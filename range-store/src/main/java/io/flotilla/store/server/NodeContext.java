package io.flotilla.store.server;

import io.flotilla.store.node.StoreNode;
import io.flotilla.transport.raft.AddressBook;
import org.slf4j.Logger;

import java.util.function.LongSupplier;

/**
 * What the admin side of a node works with: its store, whom it knows and how to reach them,
 * how to survey the cluster, and its timing. One per node.
 *
 * @param electionMillis the Raft election timeout in wall time (ticks times tick period)
 */
record NodeContext(StoreNode store, long clusterId, AddressBook book, PeerClients peers, ClusterSurvey survey,
                   PeerLiveness liveness, LocalRanges local, long electionMillis, LongSupplier clock, Logger log) {

    long nodeId() {
        return store.nodeId();
    }

    /** A range's voters on other nodes, those heard from most recently first: whom to hand leadership to. */
    java.util.List<io.flotilla.store.range.ReplicaDescriptor> otherVoters(io.flotilla.store.range.RangeDescriptor d) {
        long now = clock.getAsLong();
        java.util.List<io.flotilla.store.range.ReplicaDescriptor> out = new java.util.ArrayList<>();
        for (var r : d.replicas()) {
            if (!r.learner() && r.nodeId() != nodeId()) {
                out.add(r);
            }
        }
        out.sort(java.util.Comparator.comparingLong(r -> {
            long silence = liveness.silenceMillis(r.nodeId(), now);
            return silence < 0 ? Long.MAX_VALUE : silence;
        }));
        return out;
    }
}
