package io.flotilla.placement.operation;

/** Why an operator exists: the policy that proposed it, or an operator's manual request. */
public enum OperatorKind {
    REPAIR,
    DECOMMISSION,
    SPLIT,
    REPLICA_BALANCE,
    LEADER_BALANCE,
    /** Asked for through the admin API: runs even while the scheduler is paused. */
    MANUAL
}
