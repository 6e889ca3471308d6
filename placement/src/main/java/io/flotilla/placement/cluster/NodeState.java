package io.flotilla.placement.cluster;

/**
 * What placement may do with a node. UP, SUSPECT and DEAD come from heartbeat age;
 * DECOMMISSIONING and REMOVED are decisions an operator (or the decommission policy) recorded.
 */
public enum NodeState {
    /** Heartbeating: may receive new replicas and leaderships. */
    UP,
    /** Missed recent heartbeats: keeps what it has but receives nothing new. */
    SUSPECT,
    /** Silent past the dead timeout: its replicas count as lost once repair's delay has passed. */
    DEAD,
    /** Being drained: alive, but every replica is to move away. */
    DECOMMISSIONING,
    /** Drained and out of the cluster: must hold nothing. */
    REMOVED;

    /** Whether the node is believed to be running, so its replicas vote and serve. */
    public boolean isLive() {
        return this == UP || this == SUSPECT || this == DECOMMISSIONING;
    }

    /** Whether new replicas and leaderships may be placed on the node. */
    public boolean acceptsWork() {
        return this == UP;
    }
}
