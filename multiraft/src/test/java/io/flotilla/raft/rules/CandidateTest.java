package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.function.Consumer;

import static io.flotilla.raft.rules.Fixtures.DEFAULTS;
import static io.flotilla.raft.rules.Fixtures.PLAIN;
import static io.flotilla.raft.rules.Fixtures.append;
import static io.flotilla.raft.rules.Fixtures.drain;
import static io.flotilla.raft.rules.Fixtures.heartbeat;
import static io.flotilla.raft.rules.Fixtures.replica;
import static io.flotilla.raft.rules.Fixtures.snapshot;
import static io.flotilla.raft.rules.Fixtures.storage;
import static io.flotilla.raft.rules.Fixtures.voteResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A candidate (paper §5.2) and a pre-candidate (thesis §9.6): they yield to a leader of their
 * term, and tally answers: a quorum of grants wins the phase, a quorum of refusals loses it.
 */
class CandidateTest {
    private static final long[] FIVE = {1, 2, 3, 4, 5};

    /** Replica 1 of five at term 2 (log 1@1) after starting a campaign. */
    private static TestNode campaigning(Consumer<RaftConfig.Builder> cfg) {
        TestNode n = replica(1, storage(FIVE, 2, 0, 1), cfg);
        n.node().campaign();
        drain(n);
        return n;
    }

    enum Kind {
        CANDIDATE(PLAIN, StateRole.CANDIDATE, MessageType.VOTE_RESPONSE, 3, 3),
        PRE_CANDIDATE(DEFAULTS, StateRole.PRE_CANDIDATE, MessageType.PRE_VOTE_RESPONSE, 2, 3);

        final Consumer<RaftConfig.Builder> cfg;
        final StateRole role;
        final MessageType response;
        /** The candidate's term while campaigning, and the term its requests ask for. */
        final long term;
        final long askedTerm;

        Kind(Consumer<RaftConfig.Builder> cfg, StateRole role, MessageType response, long term, long askedTerm) {
            this.cfg = cfg;
            this.role = role;
            this.response = response;
            this.term = term;
            this.askedTerm = askedTerm;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("§5.2: an append from a leader of the candidate's term makes it that leader's follower")
    void appendFromLeaderOfTermMakesFollower(Kind k) {
        TestNode n = campaigning(k.cfg);
        Raft r = n.node().raft();
        assertThat(r.role()).isEqualTo(k.role);
        n.node().step(append(2, 1, k.term, 1, 1, 0, List.of()));
        assertFollowerOf(r, k.term, 2);
        assertThat(drain(n)).filteredOn(m -> m.type() == MessageType.APPEND_RESPONSE).singleElement()
                .satisfies(m -> assertThat(m.reject()).isFalse());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("§5.2: a heartbeat from a leader of the candidate's term makes it that leader's follower")
    void heartbeatFromLeaderOfTermMakesFollower(Kind k) {
        TestNode n = campaigning(k.cfg);
        n.node().step(heartbeat(2, 1, k.term, 0));
        assertFollowerOf(n.node().raft(), k.term, 2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("§5.2/§7: a snapshot from a leader of the candidate's term makes it that leader's follower")
    void snapshotFromLeaderOfTermMakesFollower(Kind k) {
        TestNode n = campaigning(k.cfg);
        n.node().step(snapshot(2, 1, k.term, 5, 2, FIVE));
        Raft r = n.node().raft();
        assertFollowerOf(r, k.term, 2);
        assertThat(r.log().hasPendingSnapshot()).as("and it installs the snapshot").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("§5.2: grants are tallied; a quorum of them wins the phase (5 voters: self + 2)")
    void quorumOfGrantsWins(Kind k) {
        TestNode n = campaigning(k.cfg);
        Raft r = n.node().raft();
        n.node().step(voteResponse(k.response, 2, 1, k.askedTerm, true));
        n.node().step(voteResponse(k.response, 2, 1, k.askedTerm, true)); // a duplicate counts once
        assertThat(r.role()).isEqualTo(k.role);
        n.node().step(voteResponse(k.response, 3, 1, k.askedTerm, true));
        if (k == Kind.CANDIDATE) {
            assertThat(r.role()).isEqualTo(StateRole.LEADER);
            assertThat(r.term()).isEqualTo(3);
        } else {
            // A won pre-election is only the start: now the real election at term+1.
            assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
            assertThat(r.term()).isEqualTo(3);
            assertThat(r.vote()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("§5.2: a quorum of refusals loses the phase: back to follower, term unchanged")
    void quorumOfRefusalsLoses(Kind k) {
        TestNode n = campaigning(k.cfg);
        Raft r = n.node().raft();
        n.node().step(voteResponse(k.response, 2, 1, k.term, false));
        n.node().step(voteResponse(k.response, 3, 1, k.term, false));
        assertThat(r.role()).as("2 of 5 refused: undecided").isEqualTo(k.role);
        n.node().step(voteResponse(k.response, 4, 1, k.term, false));
        assertFollowerOf(r, k.term, 0);
    }

    @Test
    @DisplayName("§5.2: a candidate ignores answers to the other kind of request")
    void ignoresOtherKindOfResponse() {
        TestNode n = campaigning(PLAIN);
        Raft r = n.node().raft();
        for (long from = 2; from <= 5; from++) {
            n.node().step(voteResponse(MessageType.PRE_VOTE_RESPONSE, from, 1, 3, true));
        }
        assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
    }

    @Test
    @DisplayName("§5.2: a new leader announces itself at once with appends to every follower")
    void winnerSendsAppendsAtOnce() {
        TestNode n = campaigning(PLAIN);
        n.node().step(voteResponse(MessageType.VOTE_RESPONSE, 2, 1, 3, true));
        n.node().step(voteResponse(MessageType.VOTE_RESPONSE, 3, 1, 3, true));
        List<Message> sent = drain(n);
        assertThat(sent).filteredOn(m -> m.type() == MessageType.APPEND).extracting(Message::to)
                .containsExactlyInAnyOrder(2L, 3L, 4L, 5L);
    }

    private static void assertFollowerOf(Raft r, long term, long leader) {
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.term()).isEqualTo(term);
        assertThat(r.lead()).isEqualTo(leader);
    }
}
