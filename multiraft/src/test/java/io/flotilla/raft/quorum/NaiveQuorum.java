package io.flotilla.raft.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;

/**
 * Slow, obviously-correct answers to the quorum questions, written from the definitions
 * rather than from the fast code: try every candidate index, try the best and worst outcome
 * of the votes still missing.
 */
final class NaiveQuorum {
    private NaiveQuorum() {
    }

    /** A half agrees when more than half its voters do; an empty half agrees to everything. */
    private static boolean majority(Set<Long> voters, LongPredicate agrees) {
        int yes = 0;
        for (long id : voters) {
            yes += agrees.test(id) ? 1 : 0;
        }
        return voters.isEmpty() || yes * 2 > voters.size();
    }

    /**
     * The largest index that a majority of every half has acknowledged. The answer is 0 or
     * one of the acknowledged values, so trying all of them finds it.
     */
    static long committedIndex(List<Set<Long>> halves, LongUnaryOperator acked) {
        if (halves.stream().allMatch(Set::isEmpty)) {
            return Long.MAX_VALUE;
        }
        List<Long> candidates = new ArrayList<>();
        candidates.add(0L);
        for (Set<Long> half : halves) {
            for (long id : half) {
                candidates.add(acked.applyAsLong(id));
            }
        }
        long best = -1;
        for (long c : candidates) {
            boolean all = true;
            for (Set<Long> half : halves) {
                all &= majority(half, id -> acked.applyAsLong(id) >= c);
            }
            if (all && c > best) {
                best = c;
            }
        }
        return best;
    }

    /**
     * WON if every half already has a majority of grants even if all missing voters reject;
     * LOST if some half misses a majority even if all missing voters grant; else PENDING.
     */
    static VoteResult voteResult(List<Set<Long>> halves, LongToIntFunction vote) {
        if (wins(halves, id -> vote.applyAsInt(id) == VoteLookup.GRANTED)) {
            return VoteResult.WON;
        }
        if (!wins(halves, id -> vote.applyAsInt(id) != VoteLookup.REJECTED)) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    private static boolean wins(List<Set<Long>> halves, LongPredicate grants) {
        for (Set<Long> half : halves) {
            if (!majority(half, grants)) {
                return false;
            }
        }
        return true;
    }
}
