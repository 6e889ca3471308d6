package io.flotilla.placement.cluster;

/**
 * Quorum arithmetic for one range against the liveness in a view: a membership change needs a
 * majority of the current voters alive to commit, and must leave a live majority behind.
 */
public final class RangeHealth {

    private RangeHealth() {
    }

    public static int majority(int voters) {
        return voters / 2 + 1;
    }

    /** Voters on nodes believed running. */
    public static int liveVoters(RangeInfo range, ClusterView view) {
        int live = 0;
        for (Replica r : range.replicas()) {
            if (r.isVoter() && view.stateOf(r.nodeId()).isLive()) {
                live++;
            }
        }
        return live;
    }

    /** Whether the range can commit (and so change its membership) now. */
    public static boolean hasQuorum(RangeInfo range, ClusterView view) {
        int voters = 0;
        for (Replica r : range.replicas()) {
            if (r.isVoter()) {
                voters++;
            }
        }
        return voters > 0 && liveVoters(range, view) >= majority(voters);
    }

    /** Whether removing the voter on {@code nodeId} still leaves a live majority of the smaller set. */
    public static boolean keepsQuorumWithout(RangeInfo range, long nodeId, ClusterView view) {
        int voters = 0;
        int live = 0;
        for (Replica r : range.voters()) {
            if (r.nodeId() == nodeId) {
                continue;
            }
            voters++;
            if (view.stateOf(r.nodeId()).isLive()) {
                live++;
            }
        }
        return voters > 0 && live >= majority(voters);
    }
}
