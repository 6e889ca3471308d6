package io.flotilla.placement.operator;

import io.flotilla.placement.operation.Operation;
import io.flotilla.placement.operation.OperatorKind;
import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operation.StepText;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs operator plans one step at a time through {@link RangeActions}, within limits:
 * operators per node and cluster-wide, a start rate, a timeout per step, a bounded number of
 * tries per step, cancel, and pause/resume of everything the scheduler started.
 *
 * <p>At most one operator runs per range, whoever asked for it, so a manual admin change
 * handed in here is never fought by the policies. Manual operators skip the pause and the
 * limits but still count against them, so the scheduler leaves them room.</p>
 *
 * <p>Time is passed in. Step results may arrive on any thread; they are queued and take effect
 * on the next {@link #tick}, which keeps a run deterministic for a given order of events.</p>
 */
public final class OperatorController {

    private final RangeActions actions;
    private final OperatorLimits limits;
    private final TokenBucket starts;
    private final Map<Long, RunningOperator> running = new LinkedHashMap<>();
    private final Map<Long, RunningOperator> byRange = new HashMap<>();
    private final ArrayDeque<OperatorStatus> history = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    /** Ranges whose operator ended recently, with when: still settling (see {@link OperatorLimits#settleMillis()}). */
    private final Map<Long, Long> endedAt = new HashMap<>();
    /** Ranges an admin is changing by hand outside the controller, with until when: the scheduler keeps off. */
    private final Map<Long, Long> heldUntil = new HashMap<>();
    private long lastTickMillis = Long.MIN_VALUE;
    private long nextId = 1;
    private boolean paused;

    public OperatorController(RangeActions actions, OperatorLimits limits) {
        this.actions = actions;
        this.limits = limits;
        this.starts = new TokenBucket(limits.startsPerSecond(), limits.startBurst());
    }

    public OperatorLimits limits() {
        return limits;
    }

    /**
     * Starts {@code plan} if no operator holds its range and, unless it is manual, the
     * scheduler is not paused and the limits allow it. Its first step is issued at once.
     */
    public synchronized SubmitResult submit(OperatorPlan plan, long nowMillis) {
        RunningOperator holder = byRange.get(plan.rangeId());
        if (holder != null) {
            return new SubmitResult.Rejected(SubmitResult.Reason.RANGE_BUSY,
                    "range " + plan.rangeId() + " already has operator " + holder.id + ": " + holder.plan.describe());
        }
        if (plan.kind() != OperatorKind.MANUAL) {
            SubmitResult.Rejected refusal = checkLimits(plan, nowMillis);
            if (refusal != null) {
                return refusal;
            }
        }
        RunningOperator op = new RunningOperator(nextId++, plan, nowMillis);
        running.put(op.id, op);
        byRange.put(plan.rangeId(), op);
        issue(op, nowMillis);
        return new SubmitResult.Accepted(op.id);
    }

    private SubmitResult.Rejected checkLimits(OperatorPlan plan, long nowMillis) {
        if (paused) {
            return new SubmitResult.Rejected(SubmitResult.Reason.PAUSED, "placement is paused");
        }
        if (heldUntil.containsKey(plan.rangeId())) {
            return new SubmitResult.Rejected(SubmitResult.Reason.RANGE_BUSY,
                    "range " + plan.rangeId() + " is being changed through the admin API");
        }
        if (running.size() >= limits.maxClusterWide()) {
            return new SubmitResult.Rejected(SubmitResult.Reason.CLUSTER_LIMIT,
                    running.size() + " operators running, the limit is " + limits.maxClusterWide());
        }
        Map<Long, Integer> perNode = usedPerNode();
        for (long node : plan.nodes()) {
            if (perNode.getOrDefault(node, 0) >= limits.maxPerNode()) {
                return new SubmitResult.Rejected(SubmitResult.Reason.NODE_LIMIT,
                        "node " + node + " has " + limits.maxPerNode() + " operators already");
            }
        }
        // Last, so that a refusal for another reason spends no token.
        if (!starts.tryTake(nowMillis)) {
            return new SubmitResult.Rejected(SubmitResult.Reason.RATE_LIMITED,
                    "more than " + limits.startsPerSecond() + " starts per second");
        }
        return null;
    }

    /**
     * Takes in step results that arrived since the last tick, times out overdue steps, and
     * issues every step that is due: the next step of an operator, or a retry after backoff.
     */
    public synchronized void tick(long nowMillis) {
        lastTickMillis = nowMillis;
        endedAt.values().removeIf(at -> nowMillis - at >= limits.settleMillis());
        heldUntil.values().removeIf(until -> nowMillis >= until);
        Completion c;
        while ((c = completions.poll()) != null) {
            RunningOperator op = running.get(c.operatorId);
            if (op == null || !op.inFlight || op.tryToken != c.tryToken) {
                continue; // cancelled, or an answer to a try already given up on
            }
            op.inFlight = false;
            op.updatedAtMillis = nowMillis;
            if (c.error == null) {
                op.stepIndex++;
                op.attempt = 0;
                op.lastError = "";
                if (op.isDone()) {
                    finish(op, OperatorState.SUCCEEDED);
                } else {
                    op.nextTryAtMillis = nowMillis;
                }
            } else {
                failTry(op, describe(c.error), nowMillis);
            }
        }
        for (RunningOperator op : new ArrayList<>(running.values())) {
            if (op.inFlight && nowMillis >= op.deadlineMillis) {
                op.inFlight = false;
                op.tryToken++;
                op.updatedAtMillis = nowMillis;
                failTry(op, "timed out: " + StepText.of(op.currentStep()), nowMillis);
            }
        }
        for (RunningOperator op : new ArrayList<>(running.values())) {
            if (!op.inFlight && op.nextTryAtMillis <= nowMillis && (!paused || op.isManual())) {
                issue(op, nowMillis);
            }
        }
    }

    /** Stops an operator: no further step is issued, and an answer still in flight is ignored. */
    public synchronized CancelOutcome cancel(long operatorId, long nowMillis) {
        RunningOperator op = running.get(operatorId);
        if (op != null) {
            op.updatedAtMillis = nowMillis;
            op.lastError = "cancelled";
            finish(op, OperatorState.CANCELLED);
            return CancelOutcome.CANCELLED;
        }
        for (OperatorStatus done : history) {
            if (done.operatorId() == operatorId) {
                return CancelOutcome.ALREADY_FINISHED;
            }
        }
        return CancelOutcome.UNKNOWN_OPERATOR;
    }

    /**
     * Stops the scheduler: no scheduled operator starts, and running scheduled operators issue no
     * further step until {@link #resume()} (a step already in flight still completes). Manual
     * operators carry on.
     */
    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /** Running operators, oldest first, then finished ones, newest first. */
    public synchronized List<OperatorStatus> operators() {
        List<OperatorStatus> all = new ArrayList<>();
        for (RunningOperator op : running.values()) {
            all.add(op.status(OperatorState.RUNNING));
        }
        all.addAll(history);
        return all;
    }

    public synchronized Optional<OperatorStatus> operator(long operatorId) {
        RunningOperator op = running.get(operatorId);
        if (op != null) {
            return Optional.of(op.status(OperatorState.RUNNING));
        }
        return history.stream().filter(s -> s.operatorId() == operatorId).findFirst();
    }

    public synchronized int runningCount() {
        return running.size();
    }

    /** Ranges that have an operator now, had one that ended within the settle time, or are held. */
    public synchronized Set<Long> busyRanges() {
        Set<Long> busy = new TreeSet<>(byRange.keySet());
        busy.addAll(endedAt.keySet());
        busy.addAll(heldUntil.keySet());
        return busy;
    }

    /**
     * Keeps the scheduler off {@code rangeId} until {@code untilMillis}, plus the settle time: an
     * admin is changing it by hand, outside the controller (a manual split, transfer or move
     * through the admin API). A scheduled operator running on the range is cancelled, so the two
     * do not fight; a manual one is left alone. A later hold replaces an earlier one, so a caller
     * can shorten its hold once its change is done.
     *
     * @return the id of the scheduled operator cancelled, if one was
     */
    public synchronized Optional<Long> hold(long rangeId, long untilMillis) {
        heldUntil.put(rangeId, untilMillis + limits.settleMillis());
        RunningOperator op = byRange.get(rangeId);
        if (op == null || op.isManual()) {
            return Optional.empty();
        }
        op.updatedAtMillis = Math.max(op.updatedAtMillis, lastTickMillis);
        op.lastError = "cancelled: range " + rangeId + " is being changed through the admin API";
        finish(op, OperatorState.CANCELLED);
        return Optional.of(op.id);
    }

    /** Operators loading each node now. */
    public synchronized Map<Long, Integer> usedPerNode() {
        Map<Long, Integer> perNode = new HashMap<>();
        for (RunningOperator op : running.values()) {
            for (long node : op.plan.nodes()) {
                perNode.merge(node, 1, Integer::sum);
            }
        }
        return perNode;
    }

    /** Steps of running operators not yet completed: changes the view does not show yet. */
    public synchronized List<Operation> pendingSteps() {
        List<Operation> pending = new ArrayList<>();
        for (RunningOperator op : running.values()) {
            pending.addAll(op.plan.steps().subList(op.stepIndex, op.plan.steps().size()));
        }
        return pending;
    }

    /** What scheduled operators may still start at {@code nowMillis}: none while paused. */
    public synchronized SlotBudget budget(long nowMillis) {
        int free = paused ? 0 : Math.max(0, limits.maxClusterWide() - running.size());
        return new SlotBudget(Math.min(free, starts.available(nowMillis)), limits.maxPerNode(), usedPerNode());
    }

    private void issue(RunningOperator op, long nowMillis) {
        Operation step = op.currentStep();
        op.attempt++;
        int token = ++op.tryToken;
        op.inFlight = true;
        op.updatedAtMillis = nowMillis;
        op.deadlineMillis = nowMillis + (step instanceof Operation.PromoteLearner
                ? limits.catchUpTimeoutMillis() : limits.stepTimeoutMillis());
        op.nextTryAtMillis = RunningOperator.NOT_SCHEDULED;
        CompletableFuture<Void> result;
        try {
            result = dispatch(step);
            if (result == null) {
                result = CompletableFuture.failedFuture(new IllegalStateException("range actions returned no future"));
            }
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        long id = op.id;
        result.whenComplete((ok, error) -> completions.add(new Completion(id, token, error)));
    }

    private CompletableFuture<Void> dispatch(Operation step) {
        if (step instanceof Operation.SplitRange s) {
            return actions.split(s.rangeId(), s.key());
        }
        if (step instanceof Operation.AddLearner a) {
            return actions.addLearner(a.rangeId(), a.nodeId());
        }
        if (step instanceof Operation.PromoteLearner p) {
            return actions.promoteLearner(p.rangeId(), p.nodeId());
        }
        if (step instanceof Operation.RemoveReplica r) {
            return actions.removeReplica(r.rangeId(), r.nodeId());
        }
        Operation.TransferLeader t = (Operation.TransferLeader) step;
        return actions.transferLeader(t.rangeId(), t.fromNodeId(), t.toNodeId());
    }

    private void failTry(RunningOperator op, String error, long nowMillis) {
        op.lastError = error;
        if (op.attempt >= limits.maxAttemptsPerStep()) {
            finish(op, OperatorState.FAILED);
        } else {
            op.nextTryAtMillis = nowMillis + limits.retryBackoffMillis();
        }
    }

    private void finish(RunningOperator op, OperatorState state) {
        running.remove(op.id);
        byRange.remove(op.plan.rangeId());
        if (limits.settleMillis() > 0) {
            endedAt.put(op.plan.rangeId(), Math.max(op.updatedAtMillis, lastTickMillis));
        }
        if (limits.historySize() == 0) {
            return;
        }
        if (history.size() >= limits.historySize()) {
            history.removeLast();
        }
        history.addFirst(op.status(state));
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private record Completion(long operatorId, int tryToken, Throwable error) {
    }
}
