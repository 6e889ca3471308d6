package io.flotilla.raft.simulation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole simulation (hosts, network, checks) must catch a broken host, not just the
 * checker in isolation: with a deliberate durability bug in every host, some seed among the
 * first few hundred must fail on the invariant that bug breaks (other seeds may trip over a
 * consequence first, e.g. a leader probing forever for entries a follower claimed and lost).
 */
class SimulationSelfCheckTest {
    private static final int MAX_SEEDS = 300;

    @ParameterizedTest
    @EnumSource(value = SimulatedHost.Defect.class, names = {"ACKS_BEFORE_SYNC", "LOSES_VOTE_ON_RESTART"})
    @DisplayName("a host that breaks durability is caught by the simulation")
    void brokenHostIsCaught(SimulatedHost.Defect defect) {
        String expected = switch (defect) {
            case ACKS_BEFORE_SYNC -> "commit never exceeds what a quorum persisted";
            case LOSES_VOTE_ON_RESTART -> "at most one vote per term";
            case NONE -> throw new IllegalArgumentException();
        };
        SimulationFailure caught = null;
        int failedRuns = 0;
        for (long seed = 1; seed <= MAX_SEEDS && caught == null; seed++) {
            try {
                new RaftSimulation(seed, RaftSimulationTest.CHAOS_EVENTS, defect).run();
            } catch (SimulationFailure f) {
                failedRuns++;
                assertThat(f.getCause()).as("a broken host makes the checks fail, not the simulation crash")
                        .isInstanceOf(InvariantViolation.class);
                if (f.getCause().getMessage().contains(expected)) {
                    caught = f;
                }
            }
        }
        assertThat(caught).as("no seed caught %s on '%s' (%d runs failed otherwise)", defect, expected, failedRuns)
                .isNotNull();
        assertThat(caught.getMessage()).contains("-Dflotilla.sim.seed=" + caught.seed());
    }
}
