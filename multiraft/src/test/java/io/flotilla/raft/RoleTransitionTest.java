package io.flotilla.raft;

import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The four roles (Raft paper §5.1, Figure 4; pre-candidate from thesis §9.6): each transition
 * installs the role's own tick and step behaviour, and transitions the algorithm never makes
 * are refused.
 */
class RoleTransitionTest {

    private static Raft raft() {
        return raft(true);
    }

    private static Raft raft(boolean checkQuorum) {
        return new Raft(RaftConfig.builder(1).checkQuorum(checkQuorum).build(), MemoryLogStorage.withVoters(1, 2, 3));
    }

    private static Message propose() {
        return Message.builder(MessageType.PROPOSE).from(1).entries(List.of(Entry.normal(0, 0, new byte[] {1})))
                .build();
    }

    /** A leader that nobody answers; without check-quorum it stays leader however long it ticks. */
    private static Raft leader() {
        Raft r = raft(false);
        r.becomeCandidate();
        r.becomeLeader();
        r.takeMessages();
        r.takeMessagesAfterPersist();
        return r;
    }

    @Test
    @DisplayName("§5.1: a replica starts as a follower with no leader")
    void startsAsFollower() {
        Raft r = raft();
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.lead()).isZero();
        assertThat(r.term()).isZero();
    }

    @Test
    @DisplayName("§5.1 Figure 4: follower -> leader is refused: a leader must win an election")
    void followerCannotBecomeLeader() {
        Raft r = raft();
        assertThatThrownBy(r::becomeLeader).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("follower -> leader");
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.log().lastIndex()).as("no entry appended").isZero();
    }

    @Test
    @DisplayName("§5.1 Figure 4: leader -> candidate and leader -> pre-candidate are refused")
    void leaderCannotCampaign() {
        Raft r = leader();
        long term = r.term();
        assertThatThrownBy(r::becomeCandidate).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(r::becomePreCandidate).isInstanceOf(IllegalStateException.class);
        assertThat(r.role()).isEqualTo(StateRole.LEADER);
        assertThat(r.term()).isEqualTo(term);
    }

    @Test
    @DisplayName("§5.1 Figure 4: follower -> pre-candidate -> candidate -> leader -> follower")
    void legalPath() {
        Raft r = raft();
        r.becomePreCandidate();
        assertThat(r.role()).isEqualTo(StateRole.PRE_CANDIDATE);
        assertThat(r.term()).isZero();
        r.becomeCandidate();
        assertThat(r.role()).isEqualTo(StateRole.CANDIDATE);
        assertThat(r.term()).isEqualTo(1);
        assertThat(r.vote()).isEqualTo(1);
        r.becomeLeader();
        assertThat(r.role()).isEqualTo(StateRole.LEADER);
        assertThat(r.lead()).isEqualTo(1);
        r.becomeFollower(5, 2);
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.term()).isEqualTo(5);
        assertThat(r.lead()).isEqualTo(2);
    }

    @Test
    @DisplayName("a follower's tick counts toward an election; its step forwards proposals to the leader")
    void followerBehaviour() {
        Raft r = raft();
        r.becomeFollower(1, 2);
        r.step(propose());
        assertThat(r.takeMessages()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.PROPOSE);
            assertThat(m.to()).isEqualTo(2);
        });
        for (int i = 0; i < r.randomizedElectionTimeout(); i++) {
            r.tick();
        }
        assertThat(r.role()).isEqualTo(StateRole.PRE_CANDIDATE);
    }

    @Test
    @DisplayName("a candidate's tick counts toward a new election; its step refuses proposals (no leader)")
    void candidateBehaviour() {
        Raft r = raft();
        r.becomeCandidate();
        assertThatThrownBy(() -> r.step(propose())).isInstanceOfSatisfying(ProposalDroppedException.class,
                e -> assertThat(e.reason()).isEqualTo(ProposalDroppedException.Reason.NO_LEADER));
        int timeout = r.randomizedElectionTimeout();
        for (int i = 0; i < timeout; i++) {
            r.tick();
        }
        assertThat(r.role()).as("times out into a new pre-election").isEqualTo(StateRole.PRE_CANDIDATE);
    }

    @Test
    @DisplayName("a leader's tick sends heartbeats, never campaigns; its step appends proposals")
    void leaderBehaviour() {
        Raft r = leader();
        long last = r.log().lastIndex();
        r.step(propose());
        assertThat(r.log().lastIndex()).isEqualTo(last + 1);
        r.takeMessages();
        r.tick();
        assertThat(r.takeMessages()).filteredOn(m -> m.type() == MessageType.HEARTBEAT).hasSize(2);
        for (int i = 0; i < 5 * r.config().electionTick(); i++) {
            r.tick();
        }
        assertThat(r.takeMessages()).noneMatch(m -> m.type().isVoteRequest());
        assertThat(r.takeMessagesAfterPersist()).noneMatch(m -> m.type().isVoteRequest());
    }

    @Test
    @DisplayName("stepping down resets the role state: no leader, fresh timer, votes and transfer cleared")
    void becomingFollowerResets() {
        Raft r = leader();
        r.becomeFollower(r.term() + 1, 0);
        assertThat(r.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(r.vote()).isZero();
        assertThat(r.electionElapsed()).isZero();
        assertThat(r.leadTransferee()).isZero();
        assertThat(r.randomizedElectionTimeout()).isBetween(r.config().electionTick(),
                2 * r.config().electionTick() - 1);
    }
}
