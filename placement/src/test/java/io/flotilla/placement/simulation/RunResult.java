package io.flotilla.placement.simulation;

/** What one seed's run did: enough to summarise a batch and to compare two runs of one seed. */
record RunResult(long seed, String scenario, int rounds, long operatorsStarted, long actionsApplied, long actionsFailed,
                 boolean limitsReached, long eventHash) {
}
