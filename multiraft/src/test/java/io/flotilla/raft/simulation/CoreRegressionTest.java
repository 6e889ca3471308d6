package io.flotilla.raft.simulation;

import io.flotilla.raft.ProposalDroppedException;
import io.flotilla.raft.ReadState;
import io.flotilla.raft.Ready;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bugs the simulation found in the Raft core, each reduced to a short script that fails
 * without its fix. The seed numbers name the {@link RaftSimulation} runs that first showed
 * them, with the simulation as it was then (changing the simulation reshuffles what a seed
 * does, so the scripts, not the seeds, are the regression tests).
 */
class CoreRegressionTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The one message in {@code out} that matches, failing if there is not exactly one. */
    private static Message only(List<Message> out, Predicate<Message> p) {
        List<Message> found = out.stream().filter(p).toList();
        assertThat(found).as("messages matching in %s", out).hasSize(1);
        return found.get(0);
    }

    private static boolean appendOf(Message m, long index) {
        return m.type() == MessageType.APPEND && m.entries().size() == 1 && m.entries().get(0).index() == index;
    }

    /**
     * Two voters {1, 2}; leader 1 removes itself (entry 2) and appends x (entry 3). One entry
     * per message lets the followers learn the commit index in steps: 2 may hear that entry 2
     * committed, never that entry 3 (x) did too. 1 crashes right after applying its removal, so
     * it cannot hand leadership over. Returns the cluster with 1 restarted as a follower.
     */
    private static TestCluster leaderRemovesItselfAndCommitsOneMoreEntry(boolean tellFollowerCommit2,
                                                                         boolean deliverEntry3) {
        TestCluster c = TestCluster.of(2, b -> b.maxSizePerMsg(1));
        c.elect(1);
        TestNode n1 = c.node(1);
        TestNode n2 = c.node(2);
        n1.node().proposeConfChange(ConfChange.of(ConfChangeSingle.remove(1)));
        n1.node().propose(bytes("x"));
        List<Message> out = new ArrayList<>();
        n1.handleReady(out::add);
        Message append2 = only(out, m -> appendOf(m, 2));
        Message append3 = only(out, m -> appendOf(m, 3));

        List<Message> acks = new ArrayList<>();
        n2.node().step(append2);
        n2.handleReady(acks::add);
        n1.node().step(only(acks, m -> m.type() == MessageType.APPEND_RESPONSE));
        assertThat(n1.node().raft().log().committed()).isEqualTo(2);
        if (deliverEntry3) {
            acks.clear();
            n2.node().step(append3);
            n2.handleReady(acks::add);
            n1.node().step(only(acks, m -> m.type() == MessageType.APPEND_RESPONSE));
            assertThat(n1.node().raft().log().committed()).as("x committed by {1, 2}").isEqualTo(3);
        }
        out.clear();
        n1.handleReady(out::add); // applies its removal
        n1.restart();
        if (tellFollowerCommit2) {
            n2.node().step(only(out, m -> m.type() == MessageType.APPEND && m.commit() == 2));
            n2.handleReady(m -> { });
        }
        c.inFlight().clear();
        return c;
    }

    @Test
    @DisplayName("a leader left the only voter by a membership change serves reads only after committing in its term (thesis §6.4)")
    void singleVoterLeaderDoesNotServeReadsBelowTheClusterCommitIndex() {
        // Found by seed 42: the single-voter shortcut answered a ReadIndex with the new leader's
        // commit index before it had committed an entry of its term, below an entry the previous
        // leader had committed (and could have acknowledged to a client).
        TestCluster c = leaderRemovesItselfAndCommitsOneMoreEntry(true, true);
        TestNode n2 = c.node(2);
        assertThat(n2.confState().voters()).containsExactly(2L);
        assertThat(n2.node().raft().log().committed()).as("2 does not know x committed").isEqualTo(2);

        n2.node().campaign();
        n2.handleReady(m -> { }); // the only voter wins once its vote is durable
        assertThat(n2.node().raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(n2.node().raft().log().committed()).as("its new term's entry is not committed yet").isEqualTo(2);
        n2.node().readIndex(bytes("read"));
        while (n2.handleReady(m -> { })) {
            // persist the new term's entry, commit it, and serve the read
        }
        assertThat(n2.readStates()).isNotEmpty();
        for (ReadState rs : n2.readStates()) {
            assertThat(rs.index()).as("read index must cover x (index 3), committed before the read").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    @DisplayName("a single voter leads a term only once its vote is durable, so a crash cannot make it lead that term twice (§5.3)")
    void singleVoterDoesNotLeadATermTwiceAcrossACrash() {
        // Found by seed 7992: the only voter won on its own vote at once, proposed, and crashed
        // before the Ready saved its term; restarted one term lower, it won the same term again and
        // placed a different entry at the same index and term. Any append of its first life that
        // reached a learner would then have made the learner apply the wrong entry.
        ConfState cs = new ConfState(List.of(1L), List.of(2L), List.of(), List.of(), false);
        TestCluster c = new TestCluster();
        for (long id = 1; id <= 2; id++) {
            MemoryLogStorage s = new MemoryLogStorage();
            s.applySnapshot(new Snapshot(new SnapshotMetadata(cs, 0, 0), null));
            c.add(id, s, b -> { });
        }
        TestNode n1 = c.node(1);
        n1.node().campaign();
        try {
            n1.node().propose(bytes("first life"));
        } catch (ProposalDroppedException e) {
            // not leading before its vote is saved: nothing to lose
        }
        if (n1.node().hasReady()) {
            Ready rd = n1.node().ready();
            c.inFlight().addAll(rd.messages()); // these may leave before the write; the write is lost
        }
        n1.restart();

        n1.node().campaign();
        c.stabilize();
        assertThat(c.leader()).isEqualTo(1);
        c.propose(1, "second life");
        c.stabilize();
        assertThat(n1.appliedData()).containsExactly("second life");
        assertThat(c.node(2).appliedData()).as("the learner applies what the leader applied")
                .isEqualTo(n1.appliedData());
    }

    @Test
    @DisplayName("without pre-vote or check-quorum, a replica with a higher term still tells a stale leader its term (§5.1, Figure 2)")
    void learnerWithHigherTermAnswersStaleLeader() {
        // Found by seeds 3979 and 7734 (plain Raft): a replica lagging behind a membership change
        // had had its term raised by a candidate with an older configuration; the leader needed
        // its acknowledgements, but it ignored the leader's stale-term appends, and its own
        // campaigns (if any: here it is a learner) never reached the leader, which its old
        // configuration did not count: nothing could commit again.
        ConfState cs = new ConfState(List.of(1L), List.of(3L), List.of(), List.of(), false);
        TestCluster c = new TestCluster();
        for (long id : new long[] {1, 3}) {
            MemoryLogStorage s = new MemoryLogStorage();
            s.applySnapshot(new Snapshot(new SnapshotMetadata(cs, 0, 0), null));
            c.add(id, s, b -> b.preVote(false).checkQuorum(false));
        }
        c.elect(1);
        // A replica removed long ago, campaigning with its old configuration, reaches learner 3.
        c.node(3).node().step(Message.builder(MessageType.VOTE).from(9).to(3).term(5).index(1).logTerm(1).build());
        c.stabilize();
        assertThat(c.node(3).node().raft().term()).isEqualTo(5);

        c.node(1).node().proposeConfChange(ConfChange.of(ConfChangeSingle.addVoter(3)));
        c.stabilize();
        assertThat(c.node(1).confState().voters()).containsExactly(1L, 3L); // committed by 1 alone
        int electionTick = c.node(1).config().electionTick();
        for (int tick = 0; tick < 10 * electionTick && c.leader() == 0; tick++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(c.leader()).isNotZero();
        c.propose(c.leader(), "after");
        c.stabilize();
        assertThat(c.node(3).appliedData()).as("3, now a voter, takes part again").containsExactly("after");
        assertThat(c.node(1).appliedData()).containsExactly("after");
    }

    @Test
    @DisplayName("without pre-vote, a stale vote request is refused with the current term so the candidate catches up (§5.1, Figure 2)")
    void staleCandidateLearnsTheTermItMustBeat() {
        // Found by seeds 1709, 2890, 7937 (no pre-vote): 3 lagged behind a membership change
        // and kept campaigning with its old configuration, raising its term each time; 1 could
        // win with 3's vote, but its requests always carried a lower term than 3's, and 3
        // ignored them, so 1 chased 3's term one election at a time.
        TestCluster c = new TestCluster();
        c.add(1, MemoryLogStorage.withVoters(1, 3), b -> b.preVote(false).checkQuorum(false));
        // 3 has not applied the change that replaced 2 by 1: it still counts voters {2, 3}.
        c.add(3, MemoryLogStorage.withVoters(2, 3), b -> b.preVote(false).checkQuorum(false));
        for (int i = 0; i < 5; i++) {
            c.campaign(3); // 2 is gone: 3 cannot win, but its term rises
            c.stabilize();
        }
        assertThat(c.node(3).node().raft().term()).isEqualTo(5);
        int electionTick = c.node(1).config().electionTick();
        for (int tick = 0; tick < 20 * electionTick && c.leader() != 1; tick++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(c.leader()).as("1 wins as soon as its vote request carries a term 3 has not passed").isEqualTo(1);
    }

    @Test
    @DisplayName("priority never refuses the only candidate that can win: one with a newer last term but no longer log")
    void priorityDoesNotBlockTheOnlyElectableCandidate() {
        // Found by seed 15 with random priorities: the higher-priority replica refused a
        // candidate whose log was as long as its own but of a later term, while its own older
        // log could not win either: no leader, forever. Priority now refuses only a candidate
        // whose log is not strictly more up to date, i.e. when the voter could lead instead.
        TestCluster c = new TestCluster();
        for (long id = 1; id <= 3; id++) {
            long priority = id == 2 ? 1 : 0;
            c.add(id, MemoryLogStorage.withVoters(1, 2, 3), b -> b.priority(priority).checkQuorum(false));
        }
        c.elect(2);                       // term 1: [1@1] everywhere
        c.isolate(2);
        c.propose(2, "never replicated"); // 2 holds 2@1 alone
        c.stabilize();
        c.heal();
        c.isolate(2);
        c.elect(1);                       // term 2 with 3's vote: 1 holds 2@2
        c.isolate(3);                     // 3 is gone for good
        c.node(1).restart();              // 1 loses leadership but keeps its log
        c.heal();
        c.isolate(3);
        assertThat(c.node(1).node().raft().log().lastTerm()).isEqualTo(2);
        assertThat(c.node(2).node().raft().log().lastTerm()).isEqualTo(1);
        assertThat(c.node(1).node().raft().log().lastIndex()).isEqualTo(c.node(2).node().raft().log().lastIndex());

        int electionTick = c.node(1).config().electionTick();
        for (int tick = 0; tick < 20 * electionTick && c.leader() != 1; tick++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(c.leader()).as("1 is the only replica that can win (2's log is older)").isEqualTo(1);
    }

    @Test
    @DisplayName("a replica that cannot campaign (a learner in its own view) does not refuse its vote on priority")
    void learnerDoesNotRefuseOnPriority() {
        // Found by seed 8151 with random priorities: 3 lagged behind its promotion (a learner in
        // its own configuration) and refused 1 on priority, though it could not lead instead; 1
        // needed 3's vote, so no leader could be elected.
        TestCluster c = new TestCluster();
        c.add(1, MemoryLogStorage.withVoters(1, 3), b -> b.priority(0));
        ConfState lagging = new ConfState(List.of(1L), List.of(3L), List.of(), List.of(), false);
        MemoryLogStorage s3 = new MemoryLogStorage();
        s3.applySnapshot(new Snapshot(new SnapshotMetadata(lagging, 0, 0), null));
        c.add(3, s3, b -> b.priority(1));
        int electionTick = c.node(1).config().electionTick();
        for (int tick = 0; tick < 10 * electionTick && c.leader() != 1; tick++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(c.leader()).isEqualTo(1);
    }

    @Test
    @DisplayName("a candidate adopts the commit index carried by a refusal even when the refusal's term is older")
    void candidateLearnsCommitFromAStaleTermRefusal() {
        // Found by seed 1693: as below, but the candidate's term was above the removed leader's,
        // so the pre-vote refusal that carried the commit index was dropped as stale.
        TestCluster c = leaderRemovesItselfAndCommitsOneMoreEntry(false, false);
        TestNode n2 = c.node(2);
        n2.node().raft().becomeFollower(5, 0); // 2 reached term 5 earlier (say, a failed election)
        assertThat(c.node(1).node().raft().term()).isLessThan(5);
        int electionTick = n2.config().electionTick();
        for (int tick = 0; tick < 10 * electionTick && c.leader() != 2; tick++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(c.leader()).isEqualTo(2);
        assertThat(n2.confState().voters()).containsExactly(2L);
    }

    @Test
    @DisplayName("a voter whose configuration still counts a removed leader learns the removal committed and gets elected")
    void removedLeaderDoesNotStrandTheRemainingVoter() {
        // Found by seeds 180, 1141, 2534: the removed leader stopped leading (it stepped down, or
        // crashed) before 2 learned that the removal committed; 2 then kept asking 1 for votes,
        // which 1 refused (its log is longer), so no leader could ever be elected. A refusal now
        // carries the commit index the candidate can adopt.
        TestCluster c = leaderRemovesItselfAndCommitsOneMoreEntry(false, false);
        TestNode n2 = c.node(2);
        assertThat(n2.node().raft().log().committed()).as("2 does not know its configuration changed").isEqualTo(1);
        assertThat(n2.confState().voters()).containsExactly(1L, 2L);
        int electionTick = n2.config().electionTick();
        for (int tick = 0; tick < 10 * electionTick && c.leader() != 2; tick++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(c.leader()).isEqualTo(2);
        assertThat(n2.confState().voters()).containsExactly(2L);
        c.propose(2, "after");
        c.stabilize();
        assertThat(n2.appliedData()).endsWith("after");
        List<Entry> applied = n2.applied();
        assertThat(applied.get(applied.size() - 1).term()).isEqualTo(n2.node().raft().term());
    }
}
