package io.flotilla.engine.simulation;

/**
 * ReadIndex reads are linearizable (Raft thesis §6.4): a read issued after a write was
 * acknowledged returns a read point at or after that write's index, and it completes only once
 * the reading replica has applied its read point, so its state machine shows every such write.
 */
final class LinearizableReadCheck {
    private long count;

    /**
     * A read issued at {@code node} when the highest acknowledged index of the group was
     * {@code floor} completed with read point {@code index}; {@code appliedThere} is what the
     * reading replica had applied by then.
     */
    void completed(long group, long node, long index, long floor, long appliedThere) {
        if (index < floor) {
            throw new InvariantViolation("read of group " + group + " at node " + node + " returned read point "
                    + index + ", before index " + floor + " acknowledged before the read was issued (§6.4)");
        }
        if (appliedThere < index) {
            throw new InvariantViolation("read of group " + group + " at node " + node + " completed at read point "
                    + index + " with only " + appliedThere + " applied there (§6.4)");
        }
        count++;
    }

    long count() {
        return count;
    }
}
