package io.flotilla.placement.policy;

import io.flotilla.placement.operation.OperatorPlan;
import io.flotilla.placement.operator.SlotBudget;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one planning pass shares between policies: ranges already taken (by running operators
 * or by an earlier proposal), the load ledger, and the operator slots left. A policy proposes
 * a plan only after {@link #tryReserve} agrees.
 */
public final class PlanningContext {

    private final Set<Long> busyRanges;
    private final LoadLedger ledger;
    private final SlotBudget slots;

    public PlanningContext(Set<Long> busyRanges, LoadLedger ledger, SlotBudget slots) {
        this.busyRanges = new HashSet<>(busyRanges);
        this.ledger = ledger;
        this.slots = slots;
    }

    public boolean isBusy(long rangeId) {
        return busyRanges.contains(rangeId);
    }

    public LoadLedger ledger() {
        return ledger;
    }

    /** Whether any operator may still start in this pass. */
    public boolean hasSlots() {
        return slots.clusterSlots() > 0;
    }

    /** Whether one more operator loading {@code node} would fit. */
    public boolean hasSlotOn(long node) {
        return slots.fitsNode(node);
    }

    /** Whether {@code plan} would fit the per-node and cluster-wide slots left. */
    public boolean fits(OperatorPlan plan) {
        return !busyRanges.contains(plan.rangeId()) && slots.fits(plan.nodes());
    }

    /** Whether all of {@code plans} would fit at once, each on a range not yet taken. */
    public boolean fitTogether(List<OperatorPlan> plans) {
        SlotBudget trial = slots.copy();
        Set<Long> ranges = new HashSet<>();
        for (OperatorPlan plan : plans) {
            if (busyRanges.contains(plan.rangeId()) || !ranges.add(plan.rangeId()) || !trial.tryTake(plan.nodes())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes {@code plan}'s range and slots and records its effect in the ledger.
     *
     * @return false, changing nothing, if the range is taken or the slots are not there
     */
    public boolean tryReserve(OperatorPlan plan) {
        if (busyRanges.contains(plan.rangeId()) || !slots.tryTake(plan.nodes())) {
            return false;
        }
        busyRanges.add(plan.rangeId());
        ledger.apply(plan);
        return true;
    }
}
