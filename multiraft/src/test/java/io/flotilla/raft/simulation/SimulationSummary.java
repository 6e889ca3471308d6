package io.flotilla.raft.simulation;

/** Totals over many runs, printed after a simulation test so one can see what was exercised. */
final class SimulationSummary {
    private long runs;
    private long events;
    private long elections;
    private long commits;
    private long proposalsAccepted;
    private long proposalsDropped;
    private long crashes;
    private long snapshotsCreated;
    private long snapshotsInstalled;
    private long confChanges;
    private long reads;
    private long messagesSent;
    private long messagesLost;
    private int maxRecoveryTicks;
    private long totalRecoveryTicks;
    private double maxRecoveryTimeouts;

    void add(SimulationResult r) {
        runs++;
        events += r.events();
        elections += r.elections();
        commits += r.commits();
        proposalsAccepted += r.proposalsAccepted();
        proposalsDropped += r.proposalsDropped();
        crashes += r.crashes();
        snapshotsCreated += r.snapshotsCreated();
        snapshotsInstalled += r.snapshotsInstalled();
        confChanges += r.confChanges();
        reads += r.reads();
        messagesSent += r.messagesSent();
        messagesLost += r.messagesLost();
        maxRecoveryTicks = Math.max(maxRecoveryTicks, r.recoveryTicks());
        totalRecoveryTicks += r.recoveryTicks();
        maxRecoveryTimeouts = Math.max(maxRecoveryTimeouts, (double) r.recoveryTicks() / r.electionTick());
    }

    double maxRecoveryTimeouts() {
        return maxRecoveryTimeouts;
    }

    long elections() { return elections; }
    long commits() { return commits; }
    long crashes() { return crashes; }
    long snapshotsInstalled() { return snapshotsInstalled; }
    long confChanges() { return confChanges; }
    long reads() { return reads; }

    String render(int seeds, int failed, long millis) {
        return String.format("raft simulation: %d seeds (%d failed) in %d ms%n"
                        + "  events %d, elections %d, commits %d, proposals %d accepted / %d dropped%n"
                        + "  crashes %d, snapshots %d created / %d installed, conf changes applied %d, reads checked %d%n"
                        + "  messages %d sent / %d lost, recovery ticks avg %.1f max %d (at most %.1f election timeouts;"
                        + " the bound is %d)",
                seeds, failed, millis, events, elections, commits, proposalsAccepted, proposalsDropped, crashes,
                snapshotsCreated, snapshotsInstalled, confChanges, reads, messagesSent, messagesLost,
                runs == 0 ? 0.0 : (double) totalRecoveryTicks / runs, maxRecoveryTicks, maxRecoveryTimeouts,
                RaftSimulation.RECOVERY_ELECTION_TIMEOUTS);
    }
}
