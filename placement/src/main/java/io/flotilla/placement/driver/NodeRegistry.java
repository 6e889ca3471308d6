package io.flotilla.placement.driver;

import java.util.concurrent.CompletableFuture;

/**
 * The node registry as the driver changes it: the meta range implements this by committing the
 * new state; tests implement it against a model.
 */
public interface NodeRegistry {

    /** Records that a drained node left the cluster. */
    CompletableFuture<Void> markRemoved(long nodeId);
}
