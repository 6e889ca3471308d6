package io.flotilla.placement.policy;

import io.flotilla.placement.cluster.ClusterView;

/**
 * One placement concern (repair, split, balance, ...): reads a view and proposes operator
 * plans, reserving each in the context so later proposals (its own and other policies') see it.
 * Deterministic: the same view and context give the same proposals.
 */
public interface PlacementPolicy {

    /** A short name for reports. */
    String name();

    PolicyResult propose(ClusterView view, PlanningContext context);
}
