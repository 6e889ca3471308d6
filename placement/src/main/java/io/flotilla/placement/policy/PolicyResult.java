package io.flotilla.placement.policy;

import io.flotilla.placement.operation.OperatorPlan;

import java.util.ArrayList;
import java.util.List;

/** The plans a policy proposed, in priority order, and what it skipped. */
public record PolicyResult(List<OperatorPlan> plans, List<Skip> skips) {

    public PolicyResult {
        plans = List.copyOf(plans);
        skips = List.copyOf(skips);
    }

    public static PolicyResult empty() {
        return new PolicyResult(List.of(), List.of());
    }

    /** Collects a result while a policy runs. */
    public static final class Builder {
        private final String policy;
        private final List<OperatorPlan> plans = new ArrayList<>();
        private final List<Skip> skips = new ArrayList<>();

        public Builder(String policy) {
            this.policy = policy;
        }

        public void plan(OperatorPlan plan) {
            plans.add(plan);
        }

        public void skip(long subjectId, String reason) {
            skips.add(new Skip(policy, subjectId, reason));
        }

        public int planned() {
            return plans.size();
        }

        public PolicyResult build() {
            return new PolicyResult(plans, skips);
        }
    }
}
