package io.flotilla.raft.quorum;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of voters decided by simple majority (Raft paper §5.2, §5.3). An empty
 * configuration agrees to everything, so that a joint configuration whose outgoing half is
 * empty behaves as its incoming half alone.
 */
public final class MajorityConfig {
    public static final MajorityConfig EMPTY = new MajorityConfig(new long[0]);

    private final long[] ids;

    private MajorityConfig(long[] sortedDistinct) {
        this.ids = sortedDistinct;
    }

    public static MajorityConfig of(long... ids) {
        if (ids.length == 0) {
            return EMPTY;
        }
        return new MajorityConfig(Arrays.stream(ids).sorted().distinct().toArray());
    }

    public static MajorityConfig of(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return EMPTY; // shared: most configurations have an empty outgoing half
        }
        return new MajorityConfig(ids.stream().mapToLong(Long::longValue).sorted().distinct().toArray());
    }

    public int size() {
        return ids.length;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }

    public boolean contains(long id) {
        return Arrays.binarySearch(ids, id) >= 0;
    }

    /** The voters, ascending. */
    public List<Long> ids() {
        return Arrays.stream(ids).boxed().toList();
    }

    /**
     * The largest index that a majority has acknowledged: the acknowledged indexes sorted in
     * descending order, taken at position {@code n/2}. Empty configurations return
     * {@link Long#MAX_VALUE} so that they never hold back a joint commit.
     */
    public long committedIndex(AckedIndexer acked) {
        int n = ids.length;
        if (n == 0) {
            return Long.MAX_VALUE;
        }
        // Groups of three or fewer are the overwhelmingly common case: answer without allocating.
        long a0 = acked.ackedIndex(ids[0]);
        if (n == 1) {
            return a0;
        }
        long a1 = acked.ackedIndex(ids[1]);
        if (n == 2) {
            return Math.min(a0, a1);
        }
        if (n == 3) {
            long a2 = acked.ackedIndex(ids[2]);
            return Math.max(Math.min(a0, a1), Math.min(Math.max(a0, a1), a2));
        }
        long[] tmp = new long[n];
        tmp[0] = a0;
        tmp[1] = a1;
        for (int i = 2; i < n; i++) {
            tmp[i] = acked.ackedIndex(ids[i]);
        }
        Arrays.sort(tmp);
        return tmp[n - (n / 2 + 1)];
    }

    /** WON with a majority of grants, LOST once a majority can no longer be reached. */
    public VoteResult voteResult(VoteLookup votes) {
        if (ids.length == 0) {
            return VoteResult.WON;
        }
        int granted = 0;
        int missing = 0;
        for (long id : ids) {
            int v = votes.vote(id);
            if (v == VoteLookup.GRANTED) {
                granted++;
            } else if (v == VoteLookup.MISSING) {
                missing++;
            }
        }
        int quorum = ids.length / 2 + 1;
        if (granted >= quorum) {
            return VoteResult.WON;
        }
        if (granted + missing >= quorum) {
            return VoteResult.PENDING;
        }
        return VoteResult.LOST;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MajorityConfig m && Arrays.equals(m.ids, ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < ids.length; i++) {
            s.append(i == 0 ? "" : " ").append(ids[i]);
        }
        return s.append(')').toString();
    }
}
