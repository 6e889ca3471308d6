package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.Ready;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static io.flotilla.raft.rules.Fixtures.bytes;
import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.storage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a leader commits (Raft paper §5.3, §5.4.2): by quorum of durable copies, and only
 * entries of its own term directly; earlier ones commit with them. Hence the empty entry a
 * new leader appends (§8).
 */
class LeaderCommitTest {

    @Test
    @DisplayName("§8: a new leader appends an empty entry of its term, which commits and is applied everywhere")
    void newLeaderAppendsEmptyEntry() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft r = c.node(1).node().raft();
        assertThat(r.log().lastIndex()).isEqualTo(1);
        assertThat(r.log().term(1)).isEqualTo(r.term());
        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).node().raft().log().committed()).isEqualTo(1);
            assertThat(c.node(id).applied()).singleElement().satisfies(e -> {
                assertThat(e.data()).isEmpty();
                assertThat(e.term()).isEqualTo(r.term());
                assertThat(e.isConfChange()).isFalse();
            });
        }
    }

    @Test
    @DisplayName("§5.3: the commit index needs a quorum of durable copies; the leader's counts once it has persisted (advance)")
    void leaderCountsItselfOnlyAfterPersisting() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        TestNode leader = c.node(1);
        Raft r = leader.node().raft();
        leader.node().propose(bytes("x"));
        Ready rd = leader.node().ready();
        assertThat(rd.entries()).hasSize(1);
        Message toTwo = rd.messages().stream().filter(m -> m.to() == 2 && m.type() == MessageType.APPEND)
                .findFirst().orElseThrow();

        // One follower acknowledges; the leader has not persisted yet: one durable copy of three.
        c.node(2).node().step(toTwo);
        for (Message m : drain(c.node(2))) {
            leader.node().step(m);
        }
        assertThat(r.tracker().get(2).match()).isEqualTo(2);
        assertThat(r.log().committed()).isEqualTo(1);

        // The leader's own write completes: two of three.
        leader.storage().append(rd.entries());
        leader.node().advance(rd);
        assertThat(r.log().committed()).isEqualTo(2);
    }

    @Test
    @DisplayName("§5.3 / thesis §10.2.1: a quorum of followers commits even before the leader's own write finishes")
    void quorumOfFollowersCommitsWithoutLeaderWrite() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        TestNode leader = c.node(1);
        Raft r = leader.node().raft();
        leader.node().propose(bytes("x"));
        Ready rd = leader.node().ready();
        for (Message m : rd.messages()) {
            c.node(m.to()).node().step(m);
        }
        for (long id = 2; id <= 3; id++) {
            for (Message m : drain(c.node(id))) {
                leader.node().step(m);
            }
        }
        assertThat(r.tracker().get(1).match()).as("own write not done").isEqualTo(1);
        assertThat(r.log().committed()).isEqualTo(2);
        leader.storage().append(rd.entries());
        leader.node().advance(rd);
        c.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).appliedData()).containsExactly("x");
        }
    }

    // ---------------------------------------------------------------- Figure 8

    private static final long[] FIVE = {1, 2, 3, 4, 5};
    /** Bare Raft (no pre-vote, no lease) and one entry per append, as in the paper's figure. */
    private static final Consumer<RaftConfig.Builder> FIG8 = b -> b.checkQuorum(false).preVote(false)
            .maxSizePerMsg(1);

    /**
     * Figure 8 (c): S1 leads in term 4 and has index 2 (from term 2) on S1, S2 and S3, a
     * majority; its own term-4 entry reached only S2. S5 holds a different index 2 from term 3.
     */
    private static TestCluster figure8c() {
        TestCluster c = new TestCluster();
        c.add(1, storage(FIVE, 3, 0, 1, 2), FIG8);
        c.add(2, storage(FIVE, 3, 0, 1, 2), FIG8);
        c.add(3, storage(FIVE, 3, 5, 1), FIG8);
        c.add(4, storage(FIVE, 3, 5, 1), FIG8);
        c.add(5, storage(FIVE, 3, 5, 1, 3), FIG8);
        c.isolate(4);
        c.isolate(5);
        // S3 may receive index 2, but nothing of term 4.
        c.dropIf(m -> m.type() == MessageType.APPEND && m.to() == 3
                && m.entries().stream().anyMatch(e -> e.term() == 4)
                && c.node(3).node().raft().log().lastIndex() >= 2);
        c.campaign(1);
        c.stabilize();
        return c;
    }

    @Test
    @DisplayName("§5.4.2 Figure 8(c): an entry of an earlier term on a majority is not committed by counting replicas")
    void earlierTermEntryOnMajorityIsNotCommitted() {
        TestCluster c = figure8c();
        Raft s1 = c.node(1).node().raft();
        assertThat(s1.role()).isEqualTo(StateRole.LEADER);
        assertThat(s1.term()).isEqualTo(4);
        assertThat(c.node(3).node().raft().log().lastIndex()).isEqualTo(2);
        assertThat(c.node(3).node().raft().log().term(2)).isEqualTo(2);
        assertThat(s1.tracker().get(3).match()).isEqualTo(2);
        assertThat(s1.tracker().committed()).as("index 2 is on a majority").isEqualTo(2);
        assertThat(s1.log().committed()).as("but it is from term 2, so it is not committed").isZero();
        for (long id = 1; id <= 5; id++) {
            assertThat(c.node(id).applied()).isEmpty();
        }
    }

    @Test
    @DisplayName("§5.4.2 Figure 8(d): that is why: S5 may still win and overwrite index 2, and no one has applied it")
    void earlierTermEntryCanStillBeOverwritten() {
        TestCluster c = figure8c();
        c.heal();
        c.isolate(1); // S1 crashes
        for (int attempt = 0; attempt < 5 && c.node(5).node().raft().role() != StateRole.LEADER; attempt++) {
            c.campaign(5);
            c.stabilize();
        }
        assertThat(c.node(5).node().raft().role()).isEqualTo(StateRole.LEADER);
        assertThat(c.node(3).node().raft().log().term(2)).as("overwritten by S5's entry").isEqualTo(3);
        for (long id = 2; id <= 5; id++) {
            assertThat(c.node(id).applied()).noneMatch(e -> e.index() == 2 && e.term() == 2);
        }
    }

    @Test
    @DisplayName("§5.4.2 Figure 8(e): once an entry of the leader's term is on a majority, it and all before it commit")
    void currentTermEntryCommitsEarlierOnes() {
        TestCluster c = figure8c();
        c.heal();
        c.tick(1, 1); // a heartbeat round lets S1 retry S3
        c.stabilize();
        Raft s1 = c.node(1).node().raft();
        assertThat(s1.role()).isEqualTo(StateRole.LEADER);
        assertThat(s1.log().committed()).isEqualTo(3);
        for (long id = 1; id <= 5; id++) {
            List<Entry> applied = c.node(id).applied();
            assertThat(applied).extracting(Entry::term).containsExactly(1L, 2L, 4L);
        }
    }
}
