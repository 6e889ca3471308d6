package io.flotilla.raft.simulation;

/**
 * What one run did, for the summary: enough to see that the runs exercise what they claim.
 *
 * @param events             events executed (chaos and recovery)
 * @param elections          distinct terms that had a leader
 * @param commits            entries committed (the highest committed index)
 * @param proposalsAccepted  proposals a node took (ProposalDroppedException otherwise)
 * @param proposalsDropped   proposals refused with ProposalDroppedException
 * @param crashes            host crashes
 * @param snapshotsCreated   host-side compactions
 * @param snapshotsInstalled snapshots received from a leader and installed
 * @param confChanges        membership changes committed (including leave-joint entries)
 * @param reads              ReadIndex answers checked
 * @param messagesSent       messages handed to the network
 * @param messagesLost       messages dropped or cut by partitions
 * @param recoveryTicks      ticks the healed cluster needed to elect and apply a fresh proposal
 * @param electionTick       the run's election tick, to express the recovery in election timeouts
 */
record SimulationResult(long events, long elections, long commits, long proposalsAccepted, long proposalsDropped,
                        long crashes, long snapshotsCreated, long snapshotsInstalled, long confChanges, long reads,
                        long messagesSent, long messagesLost, int recoveryTicks, int electionTick) {
}
