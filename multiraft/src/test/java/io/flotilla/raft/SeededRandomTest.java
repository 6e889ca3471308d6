package io.flotilla.raft;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The election-timeout generator keeps its state in one long, and must draw exactly what
 * {@link SplittableRandom} drew for the same seed: the scripted scenarios and every seeded
 * simulation replay depend on that sequence.
 */
class SeededRandomTest {

    /** The bounded draw as Raft makes it, over the static functions. */
    private static int[] draws(long seed, int bound, int n) {
        int[] out = new int[n];
        long state = seed;
        for (int i = 0; i < n; i++) {
            state = SeededRandom.next(state);
            int r = SeededRandom.bits(state);
            if ((bound & (bound - 1)) == 0) {
                out[i] = r & (bound - 1);
                continue;
            }
            int u = r >>> 1;
            while (SeededRandom.biased(u, bound)) {
                state = SeededRandom.next(state);
                u = SeededRandom.bits(state) >>> 1;
            }
            out[i] = u % bound;
        }
        return out;
    }

    @Test
    @DisplayName("draws the same bounded ints as SplittableRandom for the same seed (small, power-of-two and huge bounds)")
    void sameSequenceAsSplittableRandom() {
        SplittableRandom cases = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            long seed = cases.nextLong();
            int bound = switch (i % 3) {
                case 0 -> 1 + cases.nextInt(100);
                case 1 -> 1 << cases.nextInt(31);
                default -> Integer.MAX_VALUE - cases.nextInt(1000);
            };
            SplittableRandom reference = new SplittableRandom(seed);
            int[] expected = new int[20];
            for (int j = 0; j < expected.length; j++) {
                expected[j] = reference.nextInt(bound);
            }
            assertThat(draws(seed, bound, expected.length)).as("seed %d bound %d", seed, bound).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("a replica's randomized election timeouts come from that sequence, in [electionTick, 2*electionTick)")
    void replicaTimeoutsFollowTheSequence() {
        RawNode a = new RawNode(RaftConfig.builder(1).randomSeed(42).build(),
                io.flotilla.raft.log.MemoryLogStorage.withVoters(1, 2, 3));
        SplittableRandom reference = new SplittableRandom(42);
        assertThat(a.raft().randomizedElectionTimeout()).isEqualTo(10 + reference.nextInt(10));
    }
}
