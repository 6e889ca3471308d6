package io.flotilla.raft.quorum;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast quorum code against {@link NaiveQuorum} over many seeded random cases (in the
 * spirit of etcd/raft's quorum quick tests). A mismatch names the case and its seed; replay
 * it with {@code RandomQuorumCase.draw(seed)}.
 */
class QuorumPropertyTest {
    private static final int CASES = 50_000;

    @Test
    @DisplayName("MajorityConfig.committedIndex is the largest index a majority acknowledged (§5.3)")
    void majorityCommittedIndexMatchesNaive() {
        long base = 0x5EED_0001L;
        int nonTrivial = 0;
        for (int i = 0; i < CASES; i++) {
            RandomQuorumCase c = RandomQuorumCase.draw(base + i);
            MajorityConfig cfg = c.incomingConfig();
            assertThat(cfg.ids()).as("ids of %s", c).isEqualTo(List.copyOf(c.incoming()));

            Set<Long> queried = new TreeSet<>();
            long actual = cfg.committedIndex(id -> {
                queried.add(id);
                return c.ackedOf(id);
            });
            long expected = NaiveQuorum.committedIndex(List.of(c.incoming()), c::ackedOf);
            assertThat(actual).as("committedIndex of %s", c).isEqualTo(expected);
            assertThat(c.incoming().containsAll(queried)).as("only voters are asked, %s", c).isTrue();
            if (expected != 0 && expected != Long.MAX_VALUE) {
                nonTrivial++;
            }
        }
        // Guards the generator: most cases must commit something other than the trivial answers.
        assertThat(nonTrivial).isGreaterThan(CASES / 4);
    }

    @Test
    @DisplayName("MajorityConfig.voteResult: WON on a majority of grants, LOST once one is out of reach (§5.2)")
    void majorityVoteResultMatchesNaive() {
        long base = 0x5EED_0002L;
        Map<VoteResult, Integer> seen = new EnumMap<>(VoteResult.class);
        for (int i = 0; i < CASES; i++) {
            RandomQuorumCase c = RandomQuorumCase.draw(base + i);
            VoteResult actual = c.incomingConfig().voteResult(c::voteOf);
            VoteResult expected = NaiveQuorum.voteResult(List.of(c.incoming()), c::voteOf);
            assertThat(actual).as("voteResult of %s", c).isEqualTo(expected);
            seen.merge(expected, 1, Integer::sum);
        }
        assertThat(seen).allSatisfy((result, count) -> assertThat(count).as("%s", result).isGreaterThan(CASES / 20));
        assertThat(seen).containsOnlyKeys(VoteResult.values());
    }

    @Test
    @DisplayName("JointConfig.committedIndex is the largest index a majority of both halves acknowledged (thesis §4.3)")
    void jointCommittedIndexMatchesNaive() {
        long base = 0x5EED_0003L;
        int joint = 0;
        for (int i = 0; i < CASES; i++) {
            RandomQuorumCase c = RandomQuorumCase.draw(base + i);
            JointConfig cfg = c.jointConfig();
            assertThat(cfg.isJoint()).as("isJoint of %s", c).isEqualTo(!c.outgoing().isEmpty());

            Set<Long> queried = new TreeSet<>();
            long actual = cfg.committedIndex(id -> {
                queried.add(id);
                return c.ackedOf(id);
            });
            long expected = NaiveQuorum.committedIndex(List.of(c.incoming(), c.outgoing()), c::ackedOf);
            assertThat(actual).as("committedIndex of %s", c).isEqualTo(expected);
            assertThat(cfg.ids().containsAll(queried)).as("only voters are asked, %s", c).isTrue();
            joint += cfg.isJoint() ? 1 : 0;
        }
        assertThat(joint).isBetween(CASES / 2, CASES * 9 / 10);
    }

    @Test
    @DisplayName("JointConfig.voteResult: WON only if both halves win, LOST if either loses (thesis §4.3)")
    void jointVoteResultMatchesNaive() {
        long base = 0x5EED_0004L;
        Map<VoteResult, Integer> seen = new EnumMap<>(VoteResult.class);
        for (int i = 0; i < CASES; i++) {
            RandomQuorumCase c = RandomQuorumCase.draw(base + i);
            VoteResult actual = c.jointConfig().voteResult(c::voteOf);
            VoteResult expected = NaiveQuorum.voteResult(List.of(c.incoming(), c.outgoing()), c::voteOf);
            assertThat(actual).as("voteResult of %s", c).isEqualTo(expected);
            seen.merge(expected, 1, Integer::sum);
        }
        assertThat(seen).containsOnlyKeys(VoteResult.values());
        assertThat(seen).allSatisfy((result, count) -> assertThat(count).as("%s", result).isGreaterThan(CASES / 20));
    }
}
