package io.flotilla.raft.rules;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.RaftConfigException;
import io.flotilla.raft.ReadOnlyOption;
import io.flotilla.raft.ReadState;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static io.flotilla.raft.rules.Fixtures.bytes;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Linearizable reads without writing to the log (thesis §6.4): the leader records its commit
 * index as the read index, confirms it is still leader with a heartbeat round (or trusts its
 * lease), and answers with a ReadState; the host serves the read once it has applied that far.
 */
class ReadIndexTest {

    private static List<String> contexts(List<ReadState> states) {
        return states.stream().map(s -> new String(s.context(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    @DisplayName("thesis §6.4: one heartbeat round confirms a whole batch of reads")
    void batchOfReadsCostsOneHeartbeatRound() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.propose(1, "w");
        c.stabilize();
        long commit = c.node(1).node().raft().log().committed();
        for (int i = 0; i < 5; i++) {
            c.node(1).node().readIndex(bytes("r" + i));
        }
        List<Message> sent = stabilize(c);
        assertThat(ofType(sent, MessageType.HEARTBEAT)).as("one round: one heartbeat per follower")
                .hasSize(2).extracting(Message::to).containsExactlyInAnyOrder(2L, 3L);
        assertThat(contexts(c.node(1).readStates())).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(c.node(1).readStates()).allSatisfy(s -> assertThat(s.index()).isEqualTo(commit));
    }

    @Test
    @DisplayName("thesis §6.4: reads need a quorum's confirmation: none is answered before the heartbeat answers")
    void readWaitsForQuorumConfirmation() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.node(1).node().readIndex(bytes("r"));
        c.processReady();
        assertThat(c.node(1).readStates()).isEmpty();
        assertThat(ofType(c.inFlight(), MessageType.HEARTBEAT)).hasSize(2)
                .allSatisfy(m -> assertThat(m.context()).isEqualTo(bytes("r")));
        c.stabilize();
        assertThat(contexts(c.node(1).readStates())).containsExactly("r");
    }

    @Test
    @DisplayName("thesis §6.4 step 1: a new leader answers reads only once an entry of its term has committed")
    void newLeaderWaitsForCommitInItsTerm() {
        TestCluster c = TestCluster.of(3);
        c.campaign(1);
        while (c.node(1).node().raft().role() != StateRole.LEADER) {
            c.processReady();
            c.deliverAll();
        }
        assertThat(c.node(1).node().raft().log().committed()).as("its empty entry is not committed yet").isZero();
        c.node(1).node().readIndex(bytes("early"));
        c.processReady();
        assertThat(ofType(c.inFlight(), MessageType.HEARTBEAT)).as("no confirmation round yet").isEmpty();
        assertThat(c.node(1).readStates()).isEmpty();
        c.stabilize();
        assertThat(c.node(1).readStates()).singleElement().satisfies(s -> {
            assertThat(s.index()).isEqualTo(1);
            assertThat(s.context()).isEqualTo(bytes("early"));
        });
    }

    @Test
    @DisplayName("thesis §6.4: a follower forwards its read to the leader and gets the read index back as a ReadState")
    void followerReadIsForwarded() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.propose(1, "w");
        c.stabilize();
        c.node(2).node().readIndex(bytes("f"));
        List<Message> sent = stabilize(c);
        assertThat(ofType(sent, MessageType.READ_INDEX)).singleElement().satisfies(m -> {
            assertThat(m.from()).isEqualTo(2);
            assertThat(m.to()).isEqualTo(1);
        });
        assertThat(ofType(sent, MessageType.READ_INDEX_RESPONSE)).hasSize(1);
        assertThat(c.node(2).readStates()).singleElement().satisfies(s -> {
            assertThat(s.index()).isEqualTo(c.node(1).node().raft().log().committed());
            assertThat(s.context()).isEqualTo(bytes("f"));
        });
        assertThat(c.node(1).readStates()).isEmpty();
    }

    @Test
    @DisplayName("thesis §6.4: a leader partitioned from the majority cannot confirm reads, and steps down")
    void partitionedLeaderCannotConfirmReads() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.partition(Set.of(1L));
        c.node(1).node().readIndex(bytes("stale?"));
        for (int i = 0; i < 3 * c.node(1).config().electionTick(); i++) {
            c.tickAll(1);
            c.stabilize();
        }
        assertThat(c.node(1).readStates()).isEmpty();
        assertThat(c.node(1).node().raft().role()).isNotEqualTo(StateRole.LEADER);
        assertThat(c.leader()).isIn(2L, 3L);
    }

    @Test
    @DisplayName("thesis §6.4.1: with LEASE_BASED reads the leader answers at once, without a heartbeat round")
    void leaseBasedReadNeedsNoRound() {
        TestCluster c = TestCluster.of(3, b -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED));
        c.elect(1);
        c.node(1).node().readIndex(bytes("lease"));
        List<Message> sent = stabilize(c);
        assertThat(ofType(sent, MessageType.HEARTBEAT)).isEmpty();
        assertThat(c.node(1).readStates()).singleElement().satisfies(s -> {
            assertThat(s.index()).isEqualTo(c.node(1).node().raft().log().committed());
            assertThat(s.context()).isEqualTo(bytes("lease"));
        });
    }

    @Test
    @DisplayName("thesis §6.4.1: LEASE_BASED reads rely on check-quorum; configuring them without it is refused")
    void leaseBasedNeedsCheckQuorum() {
        assertThatThrownBy(() -> RaftConfig.builder(1).readOnlyOption(ReadOnlyOption.LEASE_BASED).checkQuorum(false)
                .build()).isInstanceOf(RaftConfigException.class);
    }

    @Test
    @DisplayName("thesis §6.4: a single-voter leader answers reads at once")
    void singleVoterAnswersAtOnce() {
        TestCluster c = TestCluster.of(1);
        c.elect(1);
        c.node(1).node().readIndex(bytes("solo"));
        List<Message> sent = stabilize(c);
        assertThat(sent).isEmpty();
        assertThat(contexts(c.node(1).readStates())).containsExactly("solo");
    }
}
