package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time is ticks. Followers and candidates count toward a randomized election timeout drawn
 * from [electionTick, 2*electionTick) (Raft paper §5.2: randomized timeouts make split votes
 * rare); leaders count toward heartbeats instead.
 */
class TickTest {
    private static final int ELECTION = 10;

    private static Raft follower(long seed) {
        return new Raft(RaftConfig.builder(1).electionTick(ELECTION).randomSeed(seed).build(),
                MemoryLogStorage.withVoters(1, 2, 3));
    }

    private static Set<Integer> fullRange() {
        Set<Integer> all = new TreeSet<>();
        IntStream.range(ELECTION, 2 * ELECTION).forEach(all::add);
        return all;
    }

    @Test
    @DisplayName("§5.2: over many seeds the election timeout stays in [electionTick, 2*electionTick) and covers it")
    void timeoutDrawnFromRangeAcrossSeeds() {
        Set<Integer> seen = new TreeSet<>();
        for (long seed = 0; seed < 500; seed++) {
            int t = follower(seed).randomizedElectionTimeout();
            assertThat(t).isBetween(ELECTION, 2 * ELECTION - 1);
            seen.add(t);
        }
        assertThat(seen).isEqualTo(fullRange());
    }

    @Test
    @DisplayName("§5.2: the election timeout is redrawn at every reset (term change), within the range")
    void timeoutRedrawnAtEveryReset() {
        Raft r = follower(42);
        Set<Integer> seen = new TreeSet<>();
        List<Integer> sequence = new ArrayList<>();
        for (int term = 1; term <= 300; term++) {
            r.becomeFollower(term, 0);
            int t = r.randomizedElectionTimeout();
            assertThat(t).isBetween(ELECTION, 2 * ELECTION - 1);
            seen.add(t);
            sequence.add(t);
        }
        assertThat(seen).isEqualTo(fullRange());
        // Same seed, same draws: a run is reproducible.
        Raft again = follower(42);
        for (int term = 1; term <= 300; term++) {
            again.becomeFollower(term, 0);
            assertThat(again.randomizedElectionTimeout()).isEqualTo(sequence.get(term - 1));
        }
    }

    @Test
    @DisplayName("§5.2: a follower campaigns exactly when its randomized election timeout has elapsed")
    void followerCampaignsAtTimeout() {
        for (long seed = 0; seed < 20; seed++) {
            Raft r = follower(seed);
            int timeout = r.randomizedElectionTimeout();
            for (int i = 0; i < timeout - 1; i++) {
                r.tick();
            }
            assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
            assertThat(r.electionElapsed()).isEqualTo(timeout - 1);
            r.tick();
            assertThat(r.role()).as("seed %d, timeout %d", seed, timeout).isEqualTo(StateRole.PRE_CANDIDATE);
        }
    }

    @Test
    @DisplayName("§5.2: hearing from the leader resets the follower's election timer")
    void leaderContactResetsElectionTimer() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft f = c.node(2).node().raft();
        for (int round = 0; round < 5 * ELECTION; round++) {
            c.tickAll(1);
            c.stabilize();
            assertThat(f.electionElapsed()).isLessThan(ELECTION);
        }
        assertThat(f.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(c.leader()).isEqualTo(1);
    }

    @Test
    @DisplayName("§5.2: a candidate that neither wins nor loses starts a new election after its timeout")
    void candidateRestartsElectionAfterTimeout() {
        TestCluster c = TestCluster.of(3, Fixtures.PLAIN);
        c.isolate(1);
        c.campaign(1);
        c.stabilize();
        Raft r = c.node(1).node().raft();
        assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
        assertThat(r.term()).isEqualTo(1);
        int timeout = r.randomizedElectionTimeout();
        c.tick(1, timeout - 1);
        assertThat(r.term()).isEqualTo(1);
        c.tick(1, 1);
        assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
        assertThat(r.term()).isEqualTo(2);
        assertThat(r.vote()).isEqualTo(1);
    }

    @Test
    @DisplayName("§5.2: a leader sends heartbeats to every follower every heartbeatTick ticks, and never campaigns")
    void leaderHeartbeatsEveryHeartbeatTick() {
        TestCluster c = TestCluster.of(3, b -> b.electionTick(ELECTION).heartbeatTick(3));
        c.elect(1);
        long term = c.node(1).node().raft().term();
        List<Integer> beatTicks = new ArrayList<>();
        for (int tick = 1; tick <= 4 * ELECTION; tick++) {
            c.tick(1, 1);
            List<Message> sent = stabilize(c);
            List<Message> beats = ofType(sent, MessageType.HEARTBEAT);
            if (!beats.isEmpty()) {
                beatTicks.add(tick);
                assertThat(beats).extracting(Message::to).containsExactlyInAnyOrder(2L, 3L);
            }
        }
        assertThat(beatTicks).isEqualTo(IntStream.rangeClosed(1, 4 * ELECTION).filter(t -> t % 3 == 0).boxed()
                .toList());
        assertThat(c.node(1).node().raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(c.node(1).node().raft().term()).isEqualTo(term);
    }
}
