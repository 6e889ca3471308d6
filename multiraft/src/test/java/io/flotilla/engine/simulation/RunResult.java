package io.flotilla.engine.simulation;

/**
 * What one run did. Equal seeds must give equal results, {@code digest} (of every group's
 * agreed applied sequence) included.
 *
 * @param leaderships    distinct (group, term) leaders observed: elections won
 * @param reads          linearizable reads completed and checked
 * @param recoveryTicks  ticks from the heal until every group had exactly one leader
 */
record RunResult(long seed, int nodes, int groups, boolean quiescence, long events, long ticks, long leaderships,
                 long crashes, long restarts, long pauses, long partitions, long proposals, long acknowledged,
                 long reads, long entriesChecked, int recoveryTicks, int commitTicks, int quiesceTicks, long digest) {
}
