package io.flotilla.raft.rules;

import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.ids;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.replica;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static io.flotilla.raft.rules.Fixtures.storage;
import static io.flotilla.raft.rules.Fixtures.tickAndStabilize;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Election priority (an extension, not in the paper): a voter refuses a lower-priority
 * candidate unless the candidate's log is strictly more up to date (later last term, or the same term and longer), so preferred replicas lead while
 * they are live; with equal priorities the plain vote rule applies unchanged.
 */
class ElectionPriorityTest {

    /** Voter 1 with {@code priority}, log 1@1 2@1, asked by 2 (priority {@code candidate}) at term 2. */
    @ParameterizedTest(name = "{0}: voter {1}, candidate {2}, candidate last index {3} -> granted={4}")
    @CsvSource({
            "VOTE,     5, 1, 2, false", // lower priority, equally long log: refused
            "PRE_VOTE, 5, 1, 2, false",
            "VOTE,     5, 1, 3, true",  // lower priority but a longer log: granted
            "PRE_VOTE, 5, 1, 3, true",
            "VOTE,     5, 5, 2, true",  // equal priorities: plain rule
            "PRE_VOTE, 5, 5, 2, true",
            "VOTE,     0, 0, 2, true",  // defaults
            "VOTE,     1, 9, 2, true",  // higher-priority candidate
    })
    @DisplayName("a lower-priority candidate with an equally long log is refused")
    void priorityRule(MessageType type, long voterPriority, long candidatePriority, long lastIndex,
                      boolean granted) {
        TestNode n = replica(1, storage(ids(1, 2, 3), 1, 0, 1, 1), b -> b.priority(voterPriority));
        n.node().step(Message.builder(type).from(2).to(1).term(2).index(lastIndex).logTerm(1)
                .priority(candidatePriority).build());
        List<Message> sent = drain(n);
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(type.voteResponse());
            assertThat(m.reject()).isEqualTo(!granted);
        });
    }

    @Test
    @DisplayName("regression: a fresh replica (term 0) refuses a pre-vote at its own term 0, and the refusal counts")
    void freshReplicaCanRefusePreVote() {
        TestNode voter = replica(1, storage(ids(1, 2, 3), 0, 0), b -> b.priority(5));
        voter.node().step(Message.builder(MessageType.PRE_VOTE).from(2).to(1).term(1).priority(1).build());
        Message refusal = drain(voter).get(0);
        assertThat(refusal.type()).isEqualTo(MessageType.PRE_VOTE_RESPONSE);
        assertThat(refusal.reject()).isTrue();
        assertThat(refusal.term()).isZero();

        TestNode candidate = replica(2, storage(ids(1, 2, 3), 0, 0), b -> b.priority(1));
        candidate.node().campaign();
        drain(candidate);
        candidate.node().step(refusal);
        candidate.node().step(refusal.toBuilder().from(3).build());
        assertThat(candidate.node().raft().role()).as("two refusals of three lose").isEqualTo(StateRole.FOLLOWER);
        assertThat(candidate.node().raft().term()).isZero();
    }

    @Test
    @DisplayName("vote requests carry the candidate's priority")
    void requestsCarryPriority() {
        TestNode n = replica(1, storage(ids(1, 2, 3), 0, 0), b -> b.priority(7));
        n.node().campaign();
        assertThat(ofType(drain(n), MessageType.PRE_VOTE)).hasSize(2)
                .allSatisfy(m -> assertThat(m.priority()).isEqualTo(7));
    }

    private static TestCluster withPriorities(Map<Long, Long> priorities) {
        TestCluster c = new TestCluster();
        for (long id = 1; id <= 3; id++) {
            long p = priorities.get(id);
            c.add(id, storage(ids(1, 2, 3), 0, 0), b -> b.priority(p));
        }
        return c;
    }

    @Test
    @DisplayName("a node whose priority is below a quorum of live, equally up-to-date peers never becomes leader")
    void lowPriorityNodeDoesNotLead() {
        TestCluster c = withPriorities(Map.of(1L, 3L, 2L, 2L, 3L, 1L));
        for (int attempt = 0; attempt < 5; attempt++) {
            c.campaign(3);
            stabilize(c);
            assertThat(c.node(3).node().raft().role()).isNotEqualTo(StateRole.LEADER);
        }
        // With time running, someone else leads, and it stays that way.
        tickAndStabilize(c, 100);
        assertThat(c.leader()).isIn(1L, 2L);
        for (int i = 0; i < 10; i++) {
            c.campaign(3);
            tickAndStabilize(c, 5);
            assertThat(c.leader()).isIn(1L, 2L);
        }
    }

    @Test
    @DisplayName("with equal priorities the same node wins as it would without priorities")
    void equalPrioritiesChangeNothing() {
        TestCluster c = withPriorities(Map.of(1L, 4L, 2L, 4L, 3L, 4L));
        c.campaign(3);
        stabilize(c);
        assertThat(c.leader()).isEqualTo(3);
    }

    @Test
    @DisplayName("the higher-priority node wins when it campaigns")
    void highPriorityNodeWins() {
        TestCluster c = withPriorities(Map.of(1L, 3L, 2L, 2L, 3L, 1L));
        c.campaign(1);
        stabilize(c);
        assertThat(c.leader()).isEqualTo(1);
    }
}
