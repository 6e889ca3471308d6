package io.flotilla.engine.simulation;

/** Totals over a batch of runs: one line saying what was exercised. */
final class BatchSummary {
    private long runs;
    private long groups;
    private long events;
    private long ticks;
    private long leaderships;
    private long crashes;
    private long restarts;
    private long pauses;
    private long partitions;
    private long proposals;
    private long acknowledged;
    private long reads;
    private long entriesChecked;
    private long quiescentRuns;
    private int maxRecoveryTicks;
    private int maxCommitTicks;
    private int maxQuiesceTicks;

    synchronized void add(RunResult r) {
        runs++;
        groups += r.groups();
        events += r.events();
        ticks += r.ticks();
        leaderships += r.leaderships();
        crashes += r.crashes();
        restarts += r.restarts();
        pauses += r.pauses();
        partitions += r.partitions();
        proposals += r.proposals();
        acknowledged += r.acknowledged();
        reads += r.reads();
        entriesChecked += r.entriesChecked();
        quiescentRuns += r.quiescence() ? 1 : 0;
        maxRecoveryTicks = Math.max(maxRecoveryTicks, r.recoveryTicks());
        maxCommitTicks = Math.max(maxCommitTicks, r.commitTicks());
        maxQuiesceTicks = Math.max(maxQuiesceTicks, r.quiesceTicks());
    }

    long leaderships() {
        return leaderships;
    }

    long crashes() {
        return crashes;
    }

    long restarts() {
        return restarts;
    }

    long pauses() {
        return pauses;
    }

    long acknowledged() {
        return acknowledged;
    }

    long reads() {
        return reads;
    }

    long quiescentRuns() {
        return quiescentRuns;
    }

    String render(int seeds, int failed, long millis) {
        return String.format("engine simulation: %d seeds (%d failed, %d with quiescence) in %d ms: %d groups,"
                        + " %d events (%d ticks), %d elections, %d crashes, %d restarts, %d pauses, %d partitions,"
                        + " %d proposals, %d acknowledged, %d reads checked, %d applied entries checked,"
                        + " max ticks to recover %d (to commit %d, to quiesce %d)",
                seeds, failed, quiescentRuns, millis, groups, events, ticks, leaderships, crashes, restarts, pauses,
                partitions, proposals, acknowledged, reads, entriesChecked, maxRecoveryTicks, maxCommitTicks,
                maxQuiesceTicks);
    }
}
