package io.flotilla.raft.simulation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Randomized, deterministic simulations of whole Raft groups as property tests (the model is
 * KRaft's RaftEventSimulationTest): every seed is one reproducible run of a 3-7 node cluster
 * over a lossy, duplicating, reordering, partitioning network with crashing hosts, checked
 * after every event for the safety properties of Raft paper §5 (Figure 3) and, once healed,
 * for liveness.
 *
 * <p>{@code -Dflotilla.sim.seeds=N} sets how many seeds run (the build passes 1000, or 100000
 * with {@code -Psoak}); {@code -Dflotilla.sim.seed=S} replays one seed.</p>
 */
class RaftSimulationTest {
    /** Events in each run's chaos phase: sized so that 1000 seeds take about a minute on this two-core machine. */
    static final int CHAOS_EVENTS = 12_000;

    @Test
    @DisplayName("safety after every event and liveness once healed, over many seeds (Raft paper §5, Figure 3)")
    void raftStaysSafeAndRecoversUnderRandomFaults() {
        String single = System.getProperty("flotilla.sim.seed");
        List<Long> seeds = new ArrayList<>();
        if (single != null && !single.isBlank()) {
            seeds.add(Long.parseLong(single.trim()));
        } else {
            int n = Integer.parseInt(System.getProperty("flotilla.sim.seeds", "1000").trim());
            for (long s = 1; s <= n; s++) {
                seeds.add(s);
            }
        }
        SimulationSummary summary = new SimulationSummary();
        List<SimulationFailure> failures = new ArrayList<>();
        long start = System.nanoTime(); // only for the report line; nothing in a run reads it
        for (long seed : seeds) {
            try {
                summary.add(new RaftSimulation(seed, CHAOS_EVENTS).run());
            } catch (SimulationFailure f) {
                failures.add(f);
                if (failures.size() == 1) {
                    System.out.println(f.getMessage());
                }
            }
        }
        System.out.println(summary.render(seeds.size(), failures.size(), (System.nanoTime() - start) / 1_000_000));
        if (!failures.isEmpty()) {
            List<Long> failed = failures.stream().map(SimulationFailure::seed).toList();
            throw new AssertionError(failures.size() + " of " + seeds.size() + " seeds failed: " + failed
                    + "; the first:\n" + failures.get(0).getMessage(), failures.get(0));
        }
        assertThat(summary.elections()).as("runs elect leaders").isPositive();
        assertThat(summary.commits()).as("runs commit entries").isPositive();
        if (seeds.size() >= 100) {
            // Over many seeds every fault and feature must actually have happened.
            assertThat(summary.crashes()).as("crashes").isPositive();
            assertThat(summary.snapshotsInstalled()).as("snapshots installed").isPositive();
            assertThat(summary.confChanges()).as("conf changes").isPositive();
            assertThat(summary.reads()).as("reads checked").isPositive();
        }
    }

    @Test
    @DisplayName("the same seed replays the same run")
    void aSeedReplaysExactly() {
        SimulationResult a = new RaftSimulation(42, 1000).run();
        SimulationResult b = new RaftSimulation(42, 1000).run();
        assertThat(b).isEqualTo(a);
        if (a.events() == 0) {
            fail("the run did nothing");
        }
    }
}
