package io.flotilla.placement.balance;

/** One line of a leader plan: which range's leadership moves from which node to which, and why. */
public record LeaderTransfer(long rangeId, long fromNodeId, long toNodeId, String reason) {

    @Override
    public String toString() {
        return "range " + rangeId + ": n" + fromNodeId + " -> n" + toNodeId + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
