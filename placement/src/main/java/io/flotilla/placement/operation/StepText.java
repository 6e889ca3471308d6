package io.flotilla.placement.operation;

/** Short text for one step, as a dry run and the operator listing print it. */
public final class StepText {

    private StepText() {
    }

    public static String of(Operation step) {
        if (step instanceof Operation.SplitRange s) {
            return "split@" + s.key();
        }
        if (step instanceof Operation.AddLearner a) {
            return "add-learner:n" + a.nodeId();
        }
        if (step instanceof Operation.PromoteLearner p) {
            return "promote:n" + p.nodeId();
        }
        if (step instanceof Operation.RemoveReplica r) {
            return "remove:n" + r.nodeId();
        }
        Operation.TransferLeader t = (Operation.TransferLeader) step;
        return "transfer-leader:n" + t.fromNodeId() + "->n" + t.toNodeId();
    }
}
