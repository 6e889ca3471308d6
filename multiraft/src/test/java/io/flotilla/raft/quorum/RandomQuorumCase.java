package io.flotilla.raft.quorum;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One randomly drawn quorum question: two voter sets (the outgoing one often empty), the
 * indexes voters acknowledged and the votes they cast. Voters absent from the maps have acked
 * nothing (0) and not voted (MISSING). Drawn from a per-case seed so a failure replays alone.
 */
record RandomQuorumCase(long seed, SortedSet<Long> incoming, SortedSet<Long> outgoing, long[] incomingInput,
                        long[] outgoingInput, Map<Long, Long> acked, Map<Long, Integer> votes) {

    static RandomQuorumCase draw(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] inInput = drawIds(r);
        // A third of the cases are simple configurations, written as a joint one with an empty outgoing half.
        long[] outInput = r.nextInt(3) == 0 ? new long[0] : drawIds(r);
        SortedSet<Long> in = distinct(inInput);
        SortedSet<Long> out = distinct(outInput);

        TreeSet<Long> everyone = new TreeSet<>(in);
        everyone.addAll(out);
        // Some non-voters answer too; their answers must never count.
        for (int i = r.nextInt(3); i > 0; i--) {
            everyone.add(r.nextLong(1, 20));
        }
        Map<Long, Long> acked = new HashMap<>();
        Map<Long, Integer> votes = new HashMap<>();
        for (long id : everyone) {
            if (r.nextInt(5) != 0) {
                acked.put(id, drawIndex(r));
            }
            int v = r.nextInt(4);
            if (v > 0) {
                // Explicit MISSING as well as absent entries: both mean "has not answered".
                votes.put(id, v == 1 ? VoteLookup.GRANTED : v == 2 ? VoteLookup.REJECTED : VoteLookup.MISSING);
            }
        }
        return new RandomQuorumCase(seed, in, out, inInput, outInput, acked, votes);
    }

    /** 0–9 ids, usually small so that the halves overlap and duplicates occur. */
    private static long[] drawIds(SplittableRandom r) {
        long[] ids = new long[r.nextInt(10)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(4) == 0 ? r.nextLong(1, Long.MAX_VALUE) : r.nextLong(1, 13);
        }
        return ids;
    }

    /** Mostly small indexes so that ties are common, now and then huge ones. */
    private static long drawIndex(SplittableRandom r) {
        return r.nextInt(8) == 0 ? r.nextLong(0, Long.MAX_VALUE) : r.nextLong(0, 11);
    }

    private static SortedSet<Long> distinct(long[] ids) {
        TreeSet<Long> s = new TreeSet<>();
        Arrays.stream(ids).forEach(s::add);
        return s;
    }

    MajorityConfig incomingConfig() {
        return MajorityConfig.of(incomingInput);
    }

    JointConfig jointConfig() {
        return new JointConfig(MajorityConfig.of(incomingInput), MajorityConfig.of(outgoingInput));
    }

    long ackedOf(long id) {
        return acked.getOrDefault(id, 0L);
    }

    int voteOf(long id) {
        return votes.getOrDefault(id, VoteLookup.MISSING);
    }

    @Override
    public String toString() {
        return "seed=" + seed + " incoming=" + incoming + " outgoing=" + outgoing + " acked=" + acked + " votes="
                + votes;
    }
}
