package io.flotilla.raft;

import io.flotilla.raft.message.Message;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract that lets a host tick a replica only when something is due: holding back
 * {@code ticksUntilDue() - 1} ticks and delivering them together with the next one gives the
 * same behaviour, tick for tick, as ticking every tick. A node of a hundred thousand groups
 * relies on it to leave followers that hear from their leader unticked.
 */
class TicksUntilDueTest {

    /** What one replica sent, as "tick: message" lines, over {@code ticks} ticks of its clock. */
    private static List<String> run(TestCluster c, long id, int ticks, boolean skipping) {
        List<String> log = new ArrayList<>();
        TestNode n = c.node(id);
        int t = 0;
        while (t < ticks) {
            int step = 1;
            if (skipping) {
                // Hold back every tick before the one that is due, then deliver them at once.
                step = (int) Math.min(ticks - t, Math.min(Integer.MAX_VALUE, (long) n.node().raft().ticksUntilDue()));
            }
            n.node().tick();
            for (int i = 1; i < step; i++) {
                n.node().tick();
            }
            t += step;
            List<Message> out = new ArrayList<>();
            while (n.handleReady(out::add)) {
                // drain
            }
            int at = t;
            out.forEach(m -> log.add(at + ": " + m.type() + "->" + m.to() + " term " + m.term()));
        }
        return log;
    }

    private static TestCluster isolatedFollowers() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.isolate(2);
        c.isolate(3);
        return c;
    }

    @Test
    @DisplayName("a follower that hears nothing campaigns at the same tick whether ticked each tick or at its due tick only")
    void followerCampaignsAtTheSameTick() {
        List<String> everyTick = run(isolatedFollowers(), 2, 100, false);
        List<String> dueOnly = run(isolatedFollowers(), 2, 100, true);
        assertThat(everyTick).as("it campaigned (pre-vote), more than once").hasSizeGreaterThan(2);
        assertThat(dueOnly).isEqualTo(everyTick);
    }

    @Test
    @DisplayName("a leader heartbeats, checks its quorum and steps down at the same ticks whether ticked each tick or at its due tick only")
    void leaderActsAtTheSameTicks() {
        List<String> everyTick = run(isolatedFollowers(), 1, 40, false);
        List<String> dueOnly = run(isolatedFollowers(), 1, 40, true);
        assertThat(everyTick).as("heartbeats went out").anyMatch(s -> s.contains("HEARTBEAT"));
        assertThat(dueOnly).isEqualTo(everyTick);
    }

    @Test
    @DisplayName("a replica that may not campaign (not among the voters) has nothing due")
    void nonVoterHasNothingDue() {
        TestCluster c = TestCluster.of(3);
        TestNode learner = c.add(4, io.flotilla.raft.log.MemoryLogStorage.withVoters(1, 2, 3),
                b -> { });
        assertThat(learner.node().raft().ticksUntilDue()).isEqualTo(Integer.MAX_VALUE);
    }
}
