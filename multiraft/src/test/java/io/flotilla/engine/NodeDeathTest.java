package io.flotilla.engine;

import io.flotilla.raft.StateRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a node does when a peer node is declared dead: it wakes only the groups that must act
 * (those whose leader was there, and quiesced leaders here that lost their quorum with it),
 * judges that on its workers a slice at a time rather than on the clock's thread, and lets one
 * survivor per group campaign while the other holds its election clock, so a group is taken
 * over with one election.
 */
class NodeDeathTest {
    private static final int GROUPS = 300;

    private static LocalCluster cluster(int nodes, boolean quiescence) {
        LocalCluster c = LocalCluster.of(nodes, 7, id -> EngineConfig.defaults(id).withQuiescence(quiescence));
        for (long g = 1; g <= GROUPS; g++) {
            c.createGroup(g, List.of(1L, 2L, 3L), n -> e -> { });
        }
        return c;
    }


    private static void tickUntilAllLed(LocalCluster c, int bound) {
        for (int t = 0; t < bound; t++) {
            c.tick();
            boolean all = true;
            for (long g = 1; g <= GROUPS && all; g++) {
                all = c.leaderNodeOf(g) != 0;
            }
            if (all) {
                return;
            }
        }
        throw new AssertionError("not every group led within " + bound + " ticks");
    }

    private static void tickUntilQuiesced(LocalCluster c, List<Long> nodes, int bound) {
        for (int t = 0; t < bound; t++) {
            c.tick();
            if (nodes.stream().allMatch(n -> c.node(n).metrics().quiescedGroups() == GROUPS)) {
                return;
            }
        }
        throw new AssertionError("not every replica quiesced within " + bound + " ticks");
    }

    @Test
    @DisplayName("a peer's death wakes only the groups whose leader was there; quiesced groups led by survivors, which keep a quorum, stay asleep")
    void deathWakesOnlyGroupsThatMustAct() {
        LocalCluster c = cluster(3, true);
        tickUntilAllLed(c, 80);
        tickUntilQuiesced(c, List.of(1L, 2L, 3L), 80);
        Map<Long, Long> leaderBefore = new HashMap<>();
        Map<Long, Long> termBefore = new HashMap<>();
        int affected = 0;
        for (long g = 1; g <= GROUPS; g++) {
            leaderBefore.put(g, c.leaderNodeOf(g));
            termBefore.put(g, c.node(2).info(g).term());
            affected += leaderBefore.get(g) == 1 ? 1 : 0;
        }
        assertThat(affected).isPositive().isLessThan(GROUPS);
        long wakesBefore = c.node(2).metrics().wakes() + c.node(3).metrics().wakes();
        c.kill(1);
        int liveness = c.node(2).config().livenessTimeoutTicks();
        c.tick(liveness + 2 * c.node(2).config().electionTick());
        long wakes = c.node(2).metrics().wakes() + c.node(3).metrics().wakes() - wakesBefore;
        assertThat(wakes).as("wakes: both survivors of each affected group, nothing else").isEqualTo(2L * affected);
        for (long g = 1; g <= GROUPS; g++) {
            if (leaderBefore.get(g) == 1) {
                assertThat(c.leaderNodeOf(g)).as("group " + g + " led again").isIn(2L, 3L);
            } else {
                long leader = leaderBefore.get(g);
                NodeEngine.GroupInfo info = c.node(leader).info(g);
                assertThat(info.role()).as("group " + g + " keeps its leader").isEqualTo(StateRole.LEADER);
                assertThat(info.term()).isEqualTo(termBefore.get(g));
                assertThat(info.quiesced()).as("group " + g + " still asleep on its leader").isTrue();
            }
        }
    }

    @Test
    @DisplayName("a quiesced leader whose live voters no longer make a quorum wakes, and check-quorum deposes it")
    void leaderThatLostItsQuorumWakesAndStepsDown() {
        LocalCluster c = cluster(3, true);
        tickUntilAllLed(c, 80);
        tickUntilQuiesced(c, List.of(1L, 2L, 3L), 80);
        List<Long> ledBy3 = new ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
            if (c.leaderNodeOf(g) == 3) {
                ledBy3.add(g);
            }
        }
        assertThat(ledBy3).isNotEmpty();
        c.kill(1);
        c.kill(2);
        int liveness = c.node(3).config().livenessTimeoutTicks();
        c.tick(liveness + 3 * c.node(3).config().electionTick());
        for (long g : ledBy3) {
            assertThat(c.node(3).info(g).role()).as("group " + g + " without a quorum").isNotEqualTo(StateRole.LEADER);
        }
    }

    @Test
    @DisplayName("the walk over the groups after a death runs on the workers, a slice per cycle, not on the clock's thread")
    void deathIsJudgedOnTheWorkersInSlices() {
        InMemoryLogStore store = new InMemoryLogStore();
        // Peers 2 and 3 never answer: node 1's liveness declares them dead.
        NodeEngine e = new NodeEngine(EngineConfig.defaults(1).withQuiescence(false), store, env -> { });
        int groups = 3 * NodeDeathSweep.SLICE;
        for (long g = 1; g <= groups; g++) {
            store.bootstrap(g, 1, 2, 3);
            e.createGroup(g, 1, Map.of(1L, 1L, 2L, 2L, 3L, 3L), x -> { });
        }
        e.runUntilIdle();
        // Peers count as heard at creation (tick 0); they are dead once silent for longer than the timeout.
        int declaringTick = e.config().livenessTimeoutTicks() + 1;
        for (int t = 1; t < declaringTick; t++) {
            e.tick();
            e.runUntilIdle();
        }
        assertThat(e.metrics().deathSweepGroups()).isZero();
        e.tick(); // declares both peers dead
        assertThat(e.metrics().deathSweepGroups()).as("judged by the tick itself").isZero();
        e.processCycle(1);
        assertThat(e.metrics().deathSweepGroups()).as("one cycle judges one slice")
                .isEqualTo(NodeDeathSweep.SLICE);
        e.runUntilIdle();
        assertThat(e.metrics().deathSweepGroups()).as("two deaths, each walking every group")
                .isEqualTo(2L * groups);
    }

    @Test
    @DisplayName("awake groups whose leader's node died are taken over with about one election each: one survivor campaigns, the other holds its clock")
    void oneElectionPerGroupAfterALeaderDies() {
        LocalCluster c = cluster(3, false);
        tickUntilAllLed(c, 80);
        c.tick(20);
        Map<Long, Long> termBefore = new HashMap<>();
        List<Long> affected = new ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
            termBefore.put(g, c.node(2).info(g).term());
            if (c.leaderNodeOf(g) == 1) {
                affected.add(g);
            }
        }
        long started = c.node(2).metrics().electionsStarted() + c.node(3).metrics().electionsStarted();
        c.kill(1);
        int bound = c.node(2).config().livenessTimeoutTicks() + 3 * c.node(2).config().electionTick();
        c.tick(bound);
        long elections = c.node(2).metrics().electionsStarted() + c.node(3).metrics().electionsStarted() - started;
        long increments = 0;
        for (long g = 1; g <= GROUPS; g++) {
            long term = Math.max(c.node(2).info(g).term(), c.node(3).info(g).term());
            if (affected.contains(g)) {
                assertThat(c.leaderNodeOf(g)).as("group " + g + " led again").isIn(2L, 3L);
                increments += term - termBefore.get(g);
            } else {
                assertThat(term).as("healthy group " + g + " undisturbed").isEqualTo(termBefore.get(g));
            }
        }
        // Before the death is declared, both survivors' own election timers run, and when they
        // draw the same tick (this simulation ticks every node in lock step) their campaigns can
        // split a vote once: plain Raft randomization, which the designated campaigner cannot
        // prevent, since nobody knows yet that the leader is dead. Measured with seed 7: 120
        // affected groups, 122 term increments and 124 elections; with every survivor
        // campaigning at its staggered tick instead, 133 and 146.
        assertThat(increments).as("term increments over " + affected.size() + " affected groups")
                .isLessThanOrEqualTo(affected.size() + affected.size() / 20);
        assertThat(elections).as("elections started").isLessThanOrEqualTo(affected.size() + affected.size() / 20);
    }
    @Test
    @DisplayName("the designated survivor retries its campaign while the other survivor's node has not yet declared the death (and so still honours the leader's lease)")
    void designatedSurvivorRetriesUntilTheOtherGivesUpTheLeader() {
        // Node 3 declares deaths 4 ticks after node 2 does: until then it ignores pre-votes.
        LocalCluster c = LocalCluster.of(3, 7, id -> EngineConfig.defaults(id).withQuiescence(true)
                .withLivenessTimeoutTicks(id == 3 ? 14 : 10));
        for (long g = 1; g <= GROUPS; g++) {
            c.createGroup(g, List.of(1L, 2L, 3L), n -> e -> { });
        }
        tickUntilAllLed(c, 80);
        tickUntilQuiesced(c, List.of(1L, 2L, 3L), 80);
        List<Long> affected = new ArrayList<>();
        for (long g = 1; g <= GROUPS; g++) {
            if (c.leaderNodeOf(g) == 1) {
                affected.add(g);
            }
        }
        c.kill(1);
        int ticks = 0;
        while (ticks < 60 && affected.stream().anyMatch(g -> c.leaderNodeOf(g) == 0)) {
            c.tick();
            ticks++;
        }
        // Node 3 gives the leader up at tick 15; every group is then taken over within a retry
        // interval and a round trip (17 ticks with seed 7). With a single attempt, the designated
        // survivor waits for its own election timer instead: 30 ticks.
        assertThat(ticks).as("ticks until every affected group is led again").isLessThanOrEqualTo(20);
    }

    @Test
    @DisplayName("a death judged after the node came back and its leader was answered again does not make the follower forget that leader (thesis §6.4.1: the answer renewed the leader's lease)")
    void aLateDeathSweepLeavesALeaderHeardAgainAlone() {
        List<Envelope> sent = new ArrayList<>();
        InMemoryLogStore store = new InMemoryLogStore();
        store.bootstrap(1, 1, 2, 3);
        NodeEngine e = new NodeEngine(EngineConfig.defaults(2), store, sent::add);
        e.createGroup(1, 2, Map.of(1L, 1L, 2L, 2L, 3L, 3L), new CountingStateMachine());
        e.runUntilIdle();
        e.receive(new Envelope(1, 2, List.of(), List.of(new HeartbeatItem(1, 1, 2, 1, 0, true)), List.of()));
        e.runUntilIdle();
        assertThat(e.info(1).leader()).isEqualTo(1);
        assertThat(e.info(1).quiesced()).isTrue();
        int timeout = e.config().livenessTimeoutTicks();
        for (int t = 0; t <= timeout; t++) { // node 1 silent, node 3 still heard
            e.receive(new Envelope(3, 2, List.of(), List.of(), List.of()));
            e.tick();
            if (t < timeout) {
                e.runUntilIdle(); // the last tick declares node 1 dead; no worker has judged it yet
            }
        }
        // Node 1 is back before the walk over the groups reaches group 1: its leader heartbeats.
        e.receive(new Envelope(1, 2, List.of(), List.of(new HeartbeatItem(1, 1, 2, 1, 0, false)), List.of()));
        sent.clear();
        e.runUntilIdle();
        e.tick();
        assertThat(sent).as("the follower answered its leader").anyMatch(env -> env.toNode() == 1
                && env.heartbeatResponses().stream().anyMatch(h -> h.groupId() == 1 && h.to() == 1));
        assertThat(e.info(1).leader()).as("and still follows it").isEqualTo(1);

        sent.clear();
        e.receive(new Envelope(3, 2, List.of(new GroupMessage(1, io.flotilla.raft.message.Message
                .builder(io.flotilla.raft.message.MessageType.PRE_VOTE).from(3).to(2).term(2).index(0).logTerm(0)
                .build())), List.of(), List.of()));
        e.runUntilIdle();
        assertThat(sent.stream().flatMap(env -> env.messages().stream()))
                .as("no pre-vote granted inside the leader's lease")
                .noneMatch(gm -> gm.message().type() == io.flotilla.raft.message.MessageType.PRE_VOTE_RESPONSE
                        && !gm.message().reject());
    }
}
