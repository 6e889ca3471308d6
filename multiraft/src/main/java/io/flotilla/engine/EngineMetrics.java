package io.flotilla.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one node's engine; cheap to bump from any worker. */
public final class EngineMetrics {
    final LongAdder ticks = new LongAdder();
    final LongAdder groupTicks = new LongAdder();
    final LongAdder readyCycles = new LongAdder();
    final LongAdder groupsInCycles = new LongAdder();
    final LongAdder syncs = new LongAdder();
    final LongAdder envelopes = new LongAdder();
    final LongAdder heartbeatItems = new LongAdder();
    final LongAdder messages = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder electionsStarted = new LongAdder();
    final LongAdder electionsWon = new LongAdder();
    final LongAdder quiesces = new LongAdder();
    final LongAdder wakes = new LongAdder();
    final LongAdder droppedForUnknownGroup = new LongAdder();
    final LongAdder droppedTicks = new LongAdder();
    final LongAdder clockSlips = new LongAdder();
    final LongAdder deathSweepGroups = new LongAdder();
    final LongAdder leaseReads = new LongAdder();
    final LongAdder leaseFallbacks = new LongAdder();
    private final Map<Long, LongAdder> envelopesTo = new ConcurrentHashMap<>();
    private final Map<Long, LongAdder> bytesTo = new ConcurrentHashMap<>();

    void envelopeSent(Envelope e) {
        envelopes.increment();
        heartbeatItems.add(e.heartbeats().size() + e.heartbeatResponses().size());
        messages.add(e.messages().size());
        long b = e.approximateBytes();
        bytes.add(b);
        envelopesTo.computeIfAbsent(e.toNode(), n -> new LongAdder()).increment();
        bytesTo.computeIfAbsent(e.toNode(), n -> new LongAdder()).add(b);
    }

    /** A point-in-time copy of every counter. */
    public Snapshot snapshot(int awakeGroups, int quiescedGroups) {
        Map<Long, Long> env = new TreeMap<>();
        envelopesTo.forEach((k, v) -> env.put(k, v.sum()));
        Map<Long, Long> by = new TreeMap<>();
        bytesTo.forEach((k, v) -> by.put(k, v.sum()));
        return new Snapshot(ticks.sum(), groupTicks.sum(), awakeGroups, quiescedGroups, readyCycles.sum(),
                groupsInCycles.sum(), syncs.sum(), envelopes.sum(), heartbeatItems.sum(), messages.sum(), bytes.sum(),
                electionsStarted.sum(), electionsWon.sum(), quiesces.sum(), wakes.sum(),
                droppedForUnknownGroup.sum(), droppedTicks.sum(), clockSlips.sum(), deathSweepGroups.sum(),
                leaseReads.sum(), leaseFallbacks.sum(), env, by);
    }

    /**
     * @param groupTicks       group ticks executed (a quiesced group costs none)
     * @param groupsInCycles   groups handled summed over Ready cycles: divided by readyCycles it is
     *                         the batching factor
     * @param heartbeatItems   coalesced heartbeat items sent (divide by envelopes for items per envelope)
     * @param droppedTicks     group ticks not replayed because the workers ran late (see EngineConfig.maxTickDebt)
     * @param clockSlips       times the node's clock dropped ticks it could not run on time
     * @param deathSweepGroups groups judged after peer deaths (each death walks every group once)
     * @param leaseReads       reads served under the leader lease, without a heartbeat round
     * @param leaseFallbacks   lease reads that found no valid lease and took the ReadIndex path
     * @param envelopesTo      envelopes per destination node
     */
    public record Snapshot(long ticks, long groupTicks, int awakeGroups, int quiescedGroups, long readyCycles,
                           long groupsInCycles, long syncs, long envelopes, long heartbeatItems, long messages,
                           long bytes, long electionsStarted, long electionsWon, long quiesces, long wakes,
                           long droppedForUnknownGroup, long droppedTicks, long clockSlips, long deathSweepGroups,
                           long leaseReads, long leaseFallbacks, Map<Long, Long> envelopesTo,
                           Map<Long, Long> bytesTo) {
    }
}
