package io.flotilla.placement.simulation;

import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.LivenessConfig;
import io.flotilla.placement.driver.PlacementConfig;
import io.flotilla.placement.driver.PlacementDriver;
import io.flotilla.placement.driver.TickReport;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operator.OperatorController;
import io.flotilla.placement.operator.OperatorLimits;
import io.flotilla.placement.split.SplitConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One seeded run of the placement driver against a {@link SimulatedCluster}: every round the
 * scenario's events happen, the cluster applies what is due and heartbeats, and the driver
 * ticks on the resulting view. After every round the run checks that no range has two
 * replicas on one node, that the operator limits held (concurrency per node and cluster-wide,
 * and the start rate over every window), and the scenario's own rules. Nothing reads a clock
 * or an unseeded random, so a seed replays exactly.
 */
final class PlacementSimulation {

    static final long ROUND_MILLIS = 1_000;
    /** Windows, in rounds, over which the start rate is checked. */
    private static final int[] RATE_WINDOWS = {1, 2, 5, 10, 30};

    private final long seed;
    private final Scenario scenario;
    private final Random random;
    private final SimulatedCluster cluster;
    private final OperatorLimits limits;
    private final PlacementConfig config;
    private final OperatorController controller;
    private final PlacementDriver driver;
    private final EventLog log = new EventLog();
    private final List<Integer> startsPerRound = new ArrayList<>();
    private long operatorsStarted;
    private boolean limitsReached;

    PlacementSimulation(long seed, Scenario scenario) {
        this.seed = seed;
        this.scenario = scenario;
        this.random = new Random(seed);
        this.cluster = new SimulatedCluster(random, scenario.faults(random), ROUND_MILLIS,
                new LivenessConfig(3 * ROUND_MILLIS, 6 * ROUND_MILLIS));
        this.limits = scenario.limits(random, baseLimits());
        this.config = scenario.config(PlacementConfig.defaults()
                .withReplaceAfter(10 * ROUND_MILLIS)
                .withSplit(new SplitConfig(64 * SimulatedCluster.MIB, 2_000, 30_000)));
        this.controller = new OperatorController(cluster, limits);
        this.driver = new PlacementDriver(config, controller, cluster);
    }

    /** Steps answer within a few rounds; a hung one is given up after six. */
    static OperatorLimits baseLimits() {
        return new OperatorLimits(8, 32, 10, 20, 6 * ROUND_MILLIS, 10 * ROUND_MILLIS, 3, 2 * ROUND_MILLIS, 64, ROUND_MILLIS);
    }

    RunResult run() {
        scenario.setUp(cluster, random);
        Scenario.Round state = null;
        TickReport report = null;
        for (int round = 1; round <= scenario.maxRounds(); round++) {
            long now = round * ROUND_MILLIS;
            scenario.beforeRound(round, cluster, random, log);
            cluster.advance(now);
            ClusterView view = cluster.heartbeatAndView();
            report = driver.tick(view, now);
            record(round, report);
            boolean idle = controller.runningCount() == 0 && report.submissions().isEmpty()
                    && controller.budget(now).clusterSlots() > 0;
            // Actions take effect at least a round after they are asked for, so the view the driver
            // ticked on still describes the model.
            state = new Scenario.Round(round, view, idle, config);
            fail(round, SimChecks.noColocation(cluster));
            fail(round, cluster.violations().isEmpty() ? null : String.join("; ", cluster.violations()));
            fail(round, checkLimits(round, now));
            fail(round, scenario.check(state, cluster));
            if (scenario.done(state, cluster)) {
                fail(round, scenario.verifyEnd(state, cluster));
                return new RunResult(seed, scenario.name(), round, operatorsStarted, cluster.actionsApplied(),
                        cluster.actionsFailed(), limitsReached, log.hash());
            }
        }
        StringBuilder why = new StringBuilder("goal not reached within " + scenario.maxRounds() + " rounds: ");
        why.append(state == null ? "no round ran" : scenario.progress(state, cluster));
        why.append("; ").append(controller.runningCount()).append(" operators running");
        if (report != null) {
            report.skips().forEach(s -> why.append("\n  skipped by ").append(s.policy()).append(" for ")
                    .append(s.subjectId()).append(": ").append(s.reason()));
        }
        throw new SimulationFailure(scenario.name(), seed, scenario.maxRounds(), why.toString(), log.render());
    }

    private void record(int round, TickReport report) {
        int started = 0;
        for (TickReport.Submission s : report.submissions()) {
            if (s.result().accepted()) {
                started++;
                OperatorPlan plan = s.plan();
                log.add("r" + round + " start " + plan.describe());
            } else {
                log.add("r" + round + " refused " + s.plan().describe() + ": " + s.result());
            }
        }
        for (long id : report.cancelledOperators()) {
            log.add("r" + round + " cancelled operator " + id);
        }
        for (long node : report.nodesMarkedRemoved()) {
            log.add("r" + round + " node " + node + " marked removed");
        }
        startsPerRound.add(started);
        operatorsStarted += started;
    }

    private String checkLimits(int round, long now) {
        if (controller.runningCount() > limits.maxClusterWide()) {
            return controller.runningCount() + " operators running, over the limit " + limits.maxClusterWide();
        }
        Map<Long, Integer> perNode = controller.usedPerNode();
        for (Map.Entry<Long, Integer> e : perNode.entrySet()) {
            if (e.getValue() > limits.maxPerNode()) {
                return "node " + e.getKey() + " has " + e.getValue() + " operators, over the limit " + limits.maxPerNode();
            }
            if (e.getValue() == limits.maxPerNode()) {
                limitsReached = true;
            }
        }
        if (controller.runningCount() == limits.maxClusterWide() || controller.budget(now).clusterSlots() == 0) {
            limitsReached = true;
        }
        for (int window : RATE_WINDOWS) {
            int from = Math.max(0, startsPerRound.size() - window);
            int starts = 0;
            for (int i = from; i < startsPerRound.size(); i++) {
                starts += startsPerRound.get(i);
            }
            double allowed = limits.startBurst() + limits.startsPerSecond() * (window - 1) * ROUND_MILLIS / 1000.0;
            if (starts > allowed + 1e-9) {
                return starts + " operators started within " + window + " rounds, over the rate limit's " + allowed;
            }
        }
        return null;
    }

    private void fail(int round, String breach) {
        if (breach != null) {
            throw new SimulationFailure(scenario.name(), seed, round, breach, log.render());
        }
    }
}
