package io.flotilla.placement.simulation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The placement policies, controller and driver against a seeded cluster model (no real Raft),
 * as property tests over many seeds. Every run checks after every round that no range has two
 * replicas on one node and that the operator limits held; each scenario adds its own rules.
 *
 * <p>{@code -Dflotilla.placement.sim.seeds=N} sets how many seeds each scenario runs (the build
 * passes 50, more with {@code -Psoak}); {@code -Dflotilla.placement.sim.seed=S} replays one seed.
 * Seeds run on parallel threads; each run is on one thread by itself, so threads change nothing.</p>
 */
class PlacementSimulationTest {

    @Test
    @DisplayName("skewed, growing clusters under faults and random limits: ranges split, leaders even out to ±1 or ±5%")
    void churnConvergesWithinLimits() {
        List<RunResult> results = runAll(ChurnScenario::new);
        if (results.size() >= 50) {
            assertThat(results).as("some seeds ran up against their limits").anyMatch(RunResult::limitsReached);
            assertThat(results.stream().mapToLong(RunResult::actionsFailed).sum()).as("faults were injected").isPositive();
        }
    }

    @Test
    @DisplayName("after a node dies, every range it held is re-replicated on live nodes without losing quorum")
    void everyRangeIsRepairedAfterANodeDies() {
        runAll(NodeDeathScenario::new);
    }

    @Test
    @DisplayName("a decommissioned node ends empty and REMOVED, and no range runs short of voters on the way")
    void decommissionEmptiesTheNode() {
        runAll(DecommissionScenario::new);
    }

    @Test
    @DisplayName("an empty 4th node joining 3 nodes with 200 ranges takes its share of replicas and leaders within 400 rounds")
    void anEmptyFourthNodeTakesItsShare() {
        runAll(ScaleOutScenario::new);
    }

    @Test
    @DisplayName("the same seed replays the same run")
    void aSeedReplaysExactly() {
        for (Supplier<Scenario> scenario : List.<Supplier<Scenario>>of(ChurnScenario::new, NodeDeathScenario::new)) {
            RunResult a = new PlacementSimulation(7, scenario.get()).run();
            RunResult b = new PlacementSimulation(7, scenario.get()).run();
            assertThat(b).isEqualTo(a);
            assertThat(a.operatorsStarted()).as("the run did something").isPositive();
        }
    }

    private static List<RunResult> runAll(Supplier<Scenario> scenario) {
        List<Long> seeds = seeds();
        long start = System.nanoTime(); // only for the summary line; nothing in a run reads it
        List<RunResult> results = new ArrayList<>();
        List<SimulationFailure> failures = new ArrayList<>();
        int threads = Math.max(1, Math.min(seeds.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        String name = scenario.get().name();
        try {
            List<Future<RunResult>> runs = new ArrayList<>();
            for (long seed : seeds) {
                runs.add(pool.submit(() -> new PlacementSimulation(seed, scenario.get()).run()));
            }
            for (Future<RunResult> run : runs) {
                try {
                    results.add(run.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SimulationFailure f) {
                        failures.add(f);
                    } else {
                        throw new AssertionError(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        IntSummaryStatistics rounds = results.stream().mapToInt(RunResult::rounds).summaryStatistics();
        System.out.printf("placement simulation %s: %d seeds, %d failed; rounds to goal min %d mean %.0f max %d; "
                        + "%d operators started, %d actions applied, %d failed; %d ms%n",
                name, seeds.size(), failures.size(), rounds.getMin(), rounds.getAverage(), rounds.getMax(),
                results.stream().mapToLong(RunResult::operatorsStarted).sum(),
                results.stream().mapToLong(RunResult::actionsApplied).sum(),
                results.stream().mapToLong(RunResult::actionsFailed).sum(), (System.nanoTime() - start) / 1_000_000);
        if (!failures.isEmpty()) {
            List<Long> failed = failures.stream().map(SimulationFailure::seed).toList();
            throw new AssertionError(failures.size() + " of " + seeds.size() + " " + name + " seeds failed: " + failed
                    + "; the first:\n" + failures.get(0).getMessage(), failures.get(0));
        }
        return results;
    }

    private static List<Long> seeds() {
        String single = System.getProperty("flotilla.placement.sim.seed");
        List<Long> seeds = new ArrayList<>();
        if (single != null && !single.isBlank()) {
            seeds.add(Long.parseLong(single.trim()));
            return seeds;
        }
        int n = Integer.parseInt(System.getProperty("flotilla.placement.sim.seeds", "50").trim());
        for (long s = 1; s <= n; s++) {
            seeds.add(s);
        }
        return seeds;
    }
}
