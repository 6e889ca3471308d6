package io.flotilla.engine;

/**
 * Every knob of a node's engine, with defaults, in one place.
 *
 * @param nodeId                 this node's id; positive
 * @param tickMillis             the one clock's period (wall time per tick)
 * @param workers                worker threads that process groups
 * @param electionTick           Raft election timeout in ticks
 * @param heartbeatTick          Raft heartbeat interval in ticks
 * @param maxTickDebt            ticks a group may owe before further ticks are dropped, not replayed
 * @param maxGroupsPerCycle      groups one worker takes into one Ready cycle
 * @param quiescence             idle groups stop ticking and heartbeating
 * @param quiesceAfterIdleTicks  idle ticks before a leader quiesces its group
 * @param livenessTimeoutTicks   silence after which a peer node is declared dead
 * @param campaignStaggerTicks   window over which groups whose leader's node died spread their
 *                               campaigns; 0 campaigns at once
 * @param preVote                groups pre-vote before raising their term
 * @param checkQuorum            leaders step down without a quorum; followers keep a lease
 * @param coalesce               batch messages per destination node and heartbeats per tick;
 *                               off sends one envelope per message (to measure what batching saves)
 * @param seed                   seeds every random draw of this engine (timeouts, staggering)
 * @param leaseSafetyMarginTicks how much shorter than the election timeout a leader lease is
 *                               taken to last (see {@link NodeEngine#leaseRead}), beyond what the
 *                               engine adds for its own clock lag: it must cover the time a
 *                               follower's answer takes to arrive plus clock drift
 * @param leaseReads             whether lease reads are served under the lease at all (see
 *                               {@link #withLeaseReads}); off by default
 */
public record EngineConfig(long nodeId, long tickMillis, int workers, int electionTick, int heartbeatTick,
                           int maxTickDebt, int maxGroupsPerCycle, boolean quiescence, int quiesceAfterIdleTicks,
                           int livenessTimeoutTicks, int campaignStaggerTicks, boolean preVote, boolean checkQuorum,
                           boolean coalesce, long seed, int leaseSafetyMarginTicks, boolean leaseReads) {

    public EngineConfig {
        if (nodeId <= 0) {
            throw new IllegalArgumentException("nodeId must be positive, got " + nodeId);
        }
        if (tickMillis <= 0 || workers <= 0 || maxTickDebt <= 0 || maxGroupsPerCycle <= 0) {
            throw new IllegalArgumentException("tickMillis, workers, maxTickDebt and maxGroupsPerCycle must be positive");
        }
        if (quiesceAfterIdleTicks < 1 || livenessTimeoutTicks < 1 || campaignStaggerTicks < 0) {
            throw new IllegalArgumentException("quiesceAfterIdleTicks and livenessTimeoutTicks must be at least 1,"
                    + " campaignStaggerTicks not negative");
        }
        if (heartbeatTick < 1 || electionTick <= heartbeatTick) {
            throw new IllegalArgumentException("heartbeatTick must be at least 1 and less than electionTick, got "
                    + heartbeatTick + " and " + electionTick);
        }
        if (leaseSafetyMarginTicks < 0 || leaseSafetyMarginTicks >= electionTick) {
            throw new IllegalArgumentException("leaseSafetyMarginTicks must be in [0, electionTick), got "
                    + leaseSafetyMarginTicks);
        }
    }

    /**
     * Defaults: 100 ms ticks, one worker per core, an election timeout of 10 ticks and a
     * heartbeat every 2 (TiKV's ratio; etcd's is 10), quiescence, pre-vote and check-quorum on, a
     * lease margin of 3 ticks, a peer node declared dead after 7 ticks of silence. Why not a
     * heartbeat every tick: with every group awake, heartbeats and their answers are most of a
     * node's work, and 5 per election timeout still leave a follower four lost in a row before
     * it campaigns. Why 7: a survivor heard its leader at most a heartbeat interval (2 ticks)
     * before that leader's node died, and its own election timer fires no sooner than 10 ticks
     * after that, so 8 ticks after the death at the earliest; declared dead at 7 (plus a tick of
     * phase), the death comes first, one designated survivor per group campaigns and the others
     * hold their clocks. With 10, about 1% of the groups also had a survivor's own timer fire,
     * split votes followed, and the storm benchmark's tail went past 3 s (30k groups, awake:
     * max 2.0-3.0 s with 10; 1.5-2.2 s with 7, one election per group, 3 nodes or 5).
     */
    public static EngineConfig defaults(long nodeId) {
        return new EngineConfig(nodeId, 100, Runtime.getRuntime().availableProcessors(), 10, 2, 2, 256, true, 3, 7, 5,
                true, true, true, nodeId, 3, false);
    }

    /**
     * Whether {@link NodeEngine#leaseRead} may serve a read under the leader's lease. Off by
     * default: the lease is counted in ticks stamped when the leader processes an answer, not
     * when it sent the heartbeat answered (Raft thesis §6.4.1 counts from the send), and the
     * engine's clock may trail real time by a few ticks; the margins that cover both leave a
     * lease of a tick or two at the default timings. Off, a lease read takes the ReadIndex
     * round and stays linearizable.
     */
    public EngineConfig withLeaseReads(boolean on) {
        return copy(b -> b.leaseReads = on);
    }

    public EngineConfig withQuiescence(boolean on) {
        return copy(b -> b.quiescence = on);
    }

    public EngineConfig withCampaignStaggerTicks(int ticks) {
        return copy(b -> b.campaignStaggerTicks = ticks);
    }

    public EngineConfig withPreVote(boolean on) {
        return copy(b -> b.preVote = on);
    }

    public EngineConfig withCoalesce(boolean on) {
        return copy(b -> b.coalesce = on);
    }

    public EngineConfig withSeed(long s) {
        return copy(b -> b.seed = s);
    }

    public EngineConfig withTickMillis(long ms) {
        return copy(b -> b.tickMillis = ms);
    }

    /**
     * The election timeout in ticks; the heartbeat interval and the lease margin shrink with it
     * if they would no longer fit below it (a timeout of 2 ticks heartbeats every tick), and the
     * liveness timeout follows it (a heartbeat interval and a tick shorter).
     */
    public EngineConfig withElectionTick(int ticks) {
        return copy(b -> {
            b.electionTick = ticks;
            b.heartbeatTick = Math.max(1, Math.min(b.heartbeatTick, ticks - 1));
            b.leaseSafetyMarginTicks = Math.max(0, Math.min(b.leaseSafetyMarginTicks, ticks - 1));
            // Keeps a death declared before any survivor's own timer fires (see defaults); set
            // the liveness timeout after this to choose another.
            b.livenessTimeoutTicks = Math.max(1, ticks - b.heartbeatTick - 1);
        });
    }

    public EngineConfig withHeartbeatTick(int ticks) {
        return copy(b -> b.heartbeatTick = ticks);
    }

    public EngineConfig withLeaseSafetyMarginTicks(int ticks) {
        return copy(b -> b.leaseSafetyMarginTicks = ticks);
    }

    public EngineConfig withLivenessTimeoutTicks(int ticks) {
        return copy(b -> b.livenessTimeoutTicks = ticks);
    }

    public EngineConfig withWorkers(int n) {
        return copy(b -> b.workers = n);
    }

    private EngineConfig copy(java.util.function.Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    /** A mutable copy, so each wither names only the field it changes. */
    private static final class Draft {
        long nodeId;
        long tickMillis;
        int workers;
        int electionTick;
        int heartbeatTick;
        int maxTickDebt;
        int maxGroupsPerCycle;
        boolean quiescence;
        int quiesceAfterIdleTicks;
        int livenessTimeoutTicks;
        int campaignStaggerTicks;
        boolean preVote;
        boolean checkQuorum;
        boolean coalesce;
        long seed;
        int leaseSafetyMarginTicks;
        boolean leaseReads;

        Draft(EngineConfig c) {
            nodeId = c.nodeId;
            tickMillis = c.tickMillis;
            workers = c.workers;
            electionTick = c.electionTick;
            heartbeatTick = c.heartbeatTick;
            maxTickDebt = c.maxTickDebt;
            maxGroupsPerCycle = c.maxGroupsPerCycle;
            quiescence = c.quiescence;
            quiesceAfterIdleTicks = c.quiesceAfterIdleTicks;
            livenessTimeoutTicks = c.livenessTimeoutTicks;
            campaignStaggerTicks = c.campaignStaggerTicks;
            preVote = c.preVote;
            checkQuorum = c.checkQuorum;
            coalesce = c.coalesce;
            seed = c.seed;
            leaseSafetyMarginTicks = c.leaseSafetyMarginTicks;
            leaseReads = c.leaseReads;
        }

        EngineConfig build() {
            return new EngineConfig(nodeId, tickMillis, workers, electionTick, heartbeatTick, maxTickDebt,
                    maxGroupsPerCycle, quiescence, quiesceAfterIdleTicks, livenessTimeoutTicks, campaignStaggerTicks,
                    preVote, checkQuorum, coalesce, seed, leaseSafetyMarginTicks, leaseReads);
        }
    }
}
