package io.flotilla.placement.cluster;

/** The state an operator records for a node in the registry; liveness is derived separately. */
public enum AdminState {
    ACTIVE,
    DECOMMISSIONING,
    REMOVED
}
