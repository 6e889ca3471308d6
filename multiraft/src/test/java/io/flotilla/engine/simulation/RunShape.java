package io.flotilla.engine.simulation;

import io.flotilla.engine.EngineConfig;

import java.util.SplittableRandom;

/**
 * The size and temperament of one run, drawn from its seed: most runs are 3-5 nodes with
 * 100-300 groups so that hundreds of seeds stay quick; one in twenty is large (500-1000 groups).
 * The engine's timers vary too, so that node liveness may be quicker or slower than elections.
 *
 * @param chaosTicks          ticks of the chaos phase
 * @param faultsPerTick       expected fault injections per tick
 * @param maxProposalsPerTick proposals (and reads) per tick are uniform in [0, this]
 * @param maxDelayTicks       the largest delivery delay the network faults use
 */
record RunShape(long seed, int nodes, int groups, boolean quiescence, boolean coalesce, boolean preVote,
                int electionTick, int livenessTimeoutTicks, int campaignStaggerTicks, int chaosTicks,
                double faultsPerTick, int maxProposalsPerTick, int maxDelayTicks) {

    static RunShape draw(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL);
        int nodes = 3 + r.nextInt(3);
        boolean large = r.nextInt(20) == 0;
        int groups = large ? 500 + r.nextInt(501) : 100 + r.nextInt(201);
        boolean quiescence = r.nextInt(4) != 0;
        boolean coalesce = r.nextInt(10) != 0;
        boolean preVote = r.nextInt(10) != 0;
        int electionTick = 6 + r.nextInt(10);
        int livenessTimeout = 3 + r.nextInt(18);
        int stagger = r.nextInt(9);
        int chaosTicks = large ? 120 + r.nextInt(81) : 150 + r.nextInt(151);
        double faultsPerTick = 0.04 + 0.08 * r.nextDouble();
        int maxProposals = 1 + r.nextInt(8);
        int maxDelay = 1 + r.nextInt(4);
        return new RunShape(seed, nodes, groups, quiescence, coalesce, preVote, electionTick, livenessTimeout,
                stagger, chaosTicks, faultsPerTick, maxProposals, maxDelay);
    }

    /** The engine configuration of node {@code id} in this run. */
    EngineConfig config(long id) {
        return EngineConfig.defaults(id).withQuiescence(quiescence).withCoalesce(coalesce).withPreVote(preVote)
                .withElectionTick(electionTick).withLivenessTimeoutTicks(livenessTimeoutTicks)
                .withCampaignStaggerTicks(campaignStaggerTicks);
    }

    @Override
    public String toString() {
        return String.format("seed %d: %d nodes, %d groups, quiescence %s, coalesce %s, pre-vote %s,"
                        + " electionTick %d, livenessTimeout %d, stagger %d, %d chaos ticks, %.3f faults/tick,"
                        + " <=%d proposals/tick, delay <=%d", seed, nodes, groups, onOff(quiescence), onOff(coalesce),
                onOff(preVote), electionTick, livenessTimeoutTicks, campaignStaggerTicks, chaosTicks, faultsPerTick,
                maxProposalsPerTick, maxDelayTicks);
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
