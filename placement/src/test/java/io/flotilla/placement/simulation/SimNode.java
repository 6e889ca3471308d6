package io.flotilla.placement.simulation;

import io.flotilla.placement.cluster.AdminState;

/** One node of the model: where it is, whether its process runs, and what the registry says. */
final class SimNode {
    final long id;
    final String zone;
    boolean alive = true;
    AdminState admin = AdminState.ACTIVE;

    SimNode(long id, String zone) {
        this.id = id;
        this.zone = zone;
    }
}
