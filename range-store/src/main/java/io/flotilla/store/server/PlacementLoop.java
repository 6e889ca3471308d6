package io.flotilla.store.server;

import io.flotilla.engine.NodeEngine;
import io.flotilla.placement.cluster.ClusterView;
import io.flotilla.placement.cluster.ClusterViewBuilder;
import io.flotilla.placement.cluster.StoreHeartbeat;
import io.flotilla.placement.driver.PlacementDriver;
import io.flotilla.placement.driver.TickReport;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operator.OperatorController;
import io.flotilla.raft.StateRole;
import io.flotilla.store.range.RangeException;
import io.flotilla.transport.proto.AdminState;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Hosts the placement driver on this node while it leads range 1, on one thread of its own.
 *
 * <p>Range 1 always spans the start of the key space (a split keeps the parent on the left), so
 * it always exists and always has at most one leader: its leadership stands in for the
 * leadership of a meta range. Every period the thread checks whether this node leads range 1.
 * If it does, it surveys every node (their LocalRanges answers are the store heartbeats), folds
 * them into the cluster view and runs one driver tick; the operators' steps run on the operator
 * pool. If it no longer does, it drops the driver and its operators: the new leader's driver
 * starts from the heartbeats, and a step still in flight here finishes or times out on its own.
 * A new driver counts every node as heard at its start, so that no node is taken for dead
 * before a full dead timeout of silence under it.</p>
 *
 * <p>All driver state is touched on the placement thread only; admin requests reach it through
 * {@link #onDriver}.</p>
 */
final class PlacementLoop implements AutoCloseable {
    /** The range whose leader runs the driver. */
    static final long ANCHOR_RANGE = 1;

    private final NodeContext ctx;
    private final NodeDecisions decisions;
    private final PlacementOptions options;
    private final ScheduledExecutorService thread;
    private final ExecutorService steps;
    private final RaftRangeActions actions;
    private final AdminStates adminStates;
    /** Non-null while this node runs the driver; placement thread only. */
    private Driving driving;
    private volatile boolean isDriver;
    /** Bumped whenever this node takes or drops the driver: steps of an earlier term do not start. */
    private volatile long driverTerm;

    PlacementLoop(NodeContext ctx, RangeOperations operations, NodeDecisions decisions, AdminStates adminStates,
                  PlacementOptions options, ScheduledExecutorService thread, ExecutorService steps) {
        this.ctx = ctx;
        this.decisions = decisions;
        this.options = options;
        this.thread = thread;
        this.steps = steps;
        this.adminStates = adminStates;
        this.actions = new RaftRangeActions(operations, steps, options.limits().stepTimeoutMillis(),
                options.limits().catchUpTimeoutMillis(), () -> driverTerm);
    }

    void start() {
        if (options.enabled()) {
            thread.scheduleWithFixedDelay(this::tickQuietly, options.intervalMillis(), options.intervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    boolean isDriver() {
        return isDriver;
    }

    PlacementOptions options() {
        return options;
    }

    /** The node leading range 1 as this node sees it, or 0 if it knows none. */
    long anchorLeaderHere() {
        NodeEngine.GroupInfo info = ctx.store().engine().info(ANCHOR_RANGE);
        if (info == null) {
            return 0;
        }
        return info.role() == StateRole.LEADER ? ctx.nodeId() : info.leaderNode();
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            ctx.log().warn("placement tick failed: {}", e.toString());
        }
    }

    /** One period: take or drop the driver, and if this node holds it, survey and tick. */
    void tick() {
        boolean leads = anchorLeaderHere() == ctx.nodeId() && decisions.adminState() != AdminState.ADMIN_REMOVED;
        if (!leads) {
            if (driving != null) {
                ctx.log().info("placement driver stopped here: range {} is led elsewhere", ANCHOR_RANGE);
                driving = null;
                isDriver = false;
                driverTerm++;
            }
            return;
        }
        long now = ctx.clock().getAsLong();
        if (driving == null) {
            driverTerm++;
            driving = new Driving(now);
            isDriver = true;
            ctx.log().info("placement driver started here (this node leads range {})", ANCHOR_RANGE);
        }
        ClusterSurvey.Survey survey;
        try {
            survey = ctx.survey().take(Duration.ofMillis(Math.min(2_000, Math.max(200, options.intervalMillis()))))
                    .get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            ctx.log().debug("placement survey failed: {}", e.toString());
            return;
        }
        now = ctx.clock().getAsLong();
        driving.observe(survey, now);
        driving.applyPreferences(decisions.preferences());
        ClusterView view = driving.builder.build(now);
        driving.lastView = view;
        OperatorController controller = driving.controller;
        if (decisions.paused() != controller.isPaused()) {
            if (decisions.paused()) {
                controller.pause();
            } else {
                controller.resume();
            }
            ctx.log().info("placement {}", decisions.paused() ? "paused" : "resumed");
        }
        TickReport report = driving.driver.tick(view, now);
        for (OperatorPlan started : report.started()) {
            ctx.log().info("operator started: {}", started.describe());
        }
        driving.logFinished();
        for (long node : report.nodesMarkedRemoved()) {
            ctx.log().info("node {} is drained: marking it removed", node);
        }
    }

    /**
     * Runs {@code f} on the placement thread against the driver, waiting no longer than the call's
     * deadline.
     *
     * @throws RangeException.NotLeader if this node does not run the driver (the hint names the
     *                                  leader of range 1, where it runs)
     */
    <T> T onDriver(Function<Driving, T> f, AdminCall call) {
        Future<T> result;
        try {
            result = thread.submit(() -> {
                if (driving == null || driving.lastView == null) {
                    throw new RangeException.NotLeader(ANCHOR_RANGE, anchorLeaderHere());
                }
                return f.apply(driving);
            });
        } catch (RejectedExecutionException e) {
            throw new RangeException.NotLeader(ANCHOR_RANGE, 0);
        }
        try {
            return result.get(Math.max(1, call.remainingMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RangeException.Timeout("the placement driver did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RangeException.Timeout("interrupted waiting for the placement driver");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Keeps the driver's operators off a range an admin is changing by hand, for {@code millis}
     * plus the settle time; does nothing unless this node runs the driver. Does not wait.
     */
    void hold(long rangeId, long millis) {
        try {
            thread.execute(() -> {
                if (driving != null) {
                    driving.controller.hold(rangeId, ctx.clock().getAsLong() + millis).ifPresent(id -> ctx.log()
                            .info("operator {} cancelled: range {} is being changed through the admin API", id, rangeId));
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the node is stopping: nothing to hold
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        steps.shutdownNow();
    }

    /** The driver and what it knows, while this node runs it. */
    final class Driving {
        final ClusterViewBuilder builder = new ClusterViewBuilder(options.liveness());
        final OperatorController controller = new OperatorController(actions, options.limits());
        final PlacementDriver driver;
        final long startedAtMillis;
        private final Set<Long> registered = new HashSet<>();
        private final Set<Long> loggedFinished = new HashSet<>();
        /** Null until the first tick applies them, so that range 1's pin is set then. */
        private java.util.Map<Long, String> appliedPreferences;
        ClusterView lastView;

        Driving(long nowMillis) {
            this.startedAtMillis = nowMillis;
            this.driver = new PlacementDriver(options.config(), controller,
                    node -> adminStates.tell(node, AdminState.ADMIN_REMOVED, steps));
        }

        /**
         * Hands the recorded leader preferences to the view. Range 1's leadership, and so the
         * driver, stays where it is unless an admin prefers otherwise: leader balancing would
         * otherwise move the driver and drop its running operators half-way. Decommission and
         * failures still move it.
         */
        void applyPreferences(java.util.Map<Long, String> preferences) {
            if (preferences.equals(appliedPreferences)) {
                return;
            }
            for (long range : appliedPreferences == null ? Set.<Long>of() : appliedPreferences.keySet()) {
                if (range != 0 && !preferences.containsKey(range)) {
                    builder.setRangePreference(range, java.util.Optional.empty());
                }
            }
            builder.setDefaultPreference(java.util.Optional.ofNullable(preferences.get(0L)).map(LeaderPreferences::parse));
            preferences.forEach((range, spec) -> {
                if (range != 0) {
                    builder.setRangePreference(range, java.util.Optional.of(LeaderPreferences.parse(spec)));
                }
            });
            if (!preferences.containsKey(ANCHOR_RANGE)) {
                builder.setRangePreference(ANCHOR_RANGE,
                        java.util.Optional.of(io.flotilla.placement.cluster.LeaderPreference.onNode(ctx.nodeId())));
            }
            appliedPreferences = preferences;
        }

        /** Takes in every answer of the survey as that node's heartbeat. */
        void observe(ClusterSurvey.Survey survey, long nowMillis) {
            for (ClusterSurvey.NodeReport r : survey.reports()) {
                if (r.reachable()) {
                    builder.register(StoreHeartbeats.registration(r.nodeId(), r.address(), r.response()));
                    builder.receive(StoreHeartbeats.heartbeat(r.response(), nowMillis));
                    registered.add(r.nodeId());
                } else if (registered.add(r.nodeId())) {
                    // Never heard under this driver: count it as heard at the driver's start.
                    builder.register(new io.flotilla.placement.cluster.RegisteredNode(r.nodeId(),
                            r.address() == null ? "" : r.address(), java.util.Map.of(),
                            io.flotilla.placement.cluster.AdminState.ACTIVE));
                    builder.receive(new StoreHeartbeat(r.nodeId(), startedAtMillis, 0, 0, List.of()));
                }
            }
        }

        long now() {
            return ctx.clock().getAsLong();
        }

        /** Logs each operator once when it ends: failures at WARN, with why. */
        void logFinished() {
            List<io.flotilla.placement.operator.OperatorStatus> all = controller.operators();
            // Forget ids that left the history: they cannot show up again.
            loggedFinished.retainAll(all.stream().map(io.flotilla.placement.operator.OperatorStatus::operatorId)
                    .collect(java.util.stream.Collectors.toSet()));
            for (io.flotilla.placement.operator.OperatorStatus s : all) {
                if (s.state() == io.flotilla.placement.operator.OperatorState.RUNNING || !loggedFinished.add(s.operatorId())) {
                    continue;
                }
                if (s.state() == io.flotilla.placement.operator.OperatorState.SUCCEEDED) {
                    ctx.log().info("operator {} succeeded: {}", s.operatorId(), s.plan().describe());
                } else {
                    ctx.log().warn("operator {} {}: {} ({})", s.operatorId(), s.state().name().toLowerCase(),
                            s.plan().describe(), s.lastError());
                }
            }
        }
    }
}
