package io.flotilla.raft.simulation;

import io.flotilla.raft.ReadState;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.quorum.JointConfig;
import io.flotilla.raft.quorum.MajorityConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulation's checks must be able to fail: each invariant is fed a deliberately broken
 * history and must reject it, and the matching sound history must pass.
 */
class InvariantCheckerTest {
    private final InvariantChecker checker = new InvariantChecker();

    private static Entry e(long term, long index, String data) {
        return Entry.normal(term, index, data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("Election Safety (§5.2): two leaders in one term are caught, even at different times")
    void twoLeadersInOneTermAreDetected() {
        checker.checkAtMostOneLeaderPerTerm(1, 0, StateRole.LEADER, 3);
        checker.checkAtMostOneLeaderPerTerm(1, 0, StateRole.LEADER, 3); // the same leader again is fine
        checker.checkAtMostOneLeaderPerTerm(2, 0, StateRole.CANDIDATE, 3);
        checker.checkAtMostOneLeaderPerTerm(2, 0, StateRole.LEADER, 4);
        assertThatThrownBy(() -> checker.checkAtMostOneLeaderPerTerm(3, 0, StateRole.LEADER, 3))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("at most one leader per term");
        // Leading a term, crashing and leading the same term again is a second leader too.
        assertThatThrownBy(() -> checker.checkAtMostOneLeaderPerTerm(1, 1, StateRole.LEADER, 3))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("before and after a restart");
    }

    @Test
    @DisplayName("Log Matching (§5.3): the same index and term with different data is caught")
    void sameIndexAndTermWithDifferentEntriesIsDetected() {
        checker.checkLogMatching(1, 0, List.of(e(1, 1, "a"), e(1, 2, "b")));
        assertThatCode(() -> checker.checkLogMatching(2, 0, List.of(e(1, 1, "a"), e(1, 2, "b"), e(2, 3, "c"))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> checker.checkLogMatching(3, 0, List.of(e(1, 1, "a"), e(1, 2, "X"))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("log matching");
    }

    @Test
    @DisplayName("Log Matching (§5.3): the same index and term after a different prefix is caught")
    void sameEntryAfterDifferentPrefixIsDetected() {
        checker.checkLogMatching(1, 0, List.of(e(1, 1, "a"), e(3, 2, "b")));
        // Replica 2 holds (2, term 3) too, but after a term-2 entry: the logs differ below a match.
        assertThatThrownBy(() -> checker.checkLogMatching(2, 0, List.of(e(2, 1, "z"), e(3, 2, "b"))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("log matching");
        // A compacted log is checked through the term at its compaction point.
        assertThatThrownBy(() -> checker.checkLogMatching(3, 2, List.of(e(3, 2, "b"))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("log matching");
    }

    @Test
    @DisplayName("State Machine Safety (§5.4.3): a committed index that later holds another entry is caught")
    void committedEntryThatChangesIsDetected() {
        checker.checkCommittedEntriesNeverChange(1, 2, List.of(e(1, 1, "a"), e(2, 2, "b")));
        checker.checkCommittedEntriesNeverChange(2, 2, List.of(e(2, 2, "b")));
        assertThatThrownBy(() -> checker.checkCommittedEntriesNeverChange(3, 3, List.of(e(3, 2, "c"))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("committed entries never change");
        assertThatThrownBy(() -> checker.checkCommittedTermNeverChanges(3, 2, 3))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("committed entries never change");
    }

    @Test
    @DisplayName("Leader Completeness (§5.4): a later leader missing a committed entry is caught")
    void leaderOfLaterTermMissingCommittedEntryIsDetected() {
        checker.checkCommittedEntriesNeverChange(1, 2, List.of(e(1, 1, "a"), e(2, 2, "b"), e(2, 3, "c")));
        // A leader of term 2 itself need not be checked against its own commits; term 3 must hold them.
        checker.checkLeaderCompleteness(1, 2, LogView.of(0, List.of(e(1, 1, "a"), e(2, 2, "b")), 1));
        checker.checkLeaderCompleteness(2, 3, LogView.of(0, List.of(e(1, 1, "a"), e(2, 2, "b"), e(2, 3, "c")), 1));
        assertThatThrownBy(() -> checker.checkLeaderCompleteness(3, 4,
                LogView.of(0, List.of(e(1, 1, "a"), e(2, 2, "b")), 1)))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("leader completeness");
        assertThatThrownBy(() -> checker.checkLeaderCompleteness(4, 5,
                LogView.of(0, List.of(e(1, 1, "a"), e(4, 2, "x"), e(4, 3, "y")), 1)))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("leader completeness");
    }

    @Test
    @DisplayName("a leader commits only what a quorum persisted (§5.3), in both halves of a joint config (§4.3)")
    void commitBeyondPersistedQuorumIsDetected() {
        Set<Long> holders = Set.of(1L, 2L);
        InvariantChecker.DurableLog durable = (voter, index, term) -> holders.contains(voter);
        JointConfig three = JointConfig.simple(MajorityConfig.of(1, 2, 3));
        checker.checkCommitWithinPersistedQuorum(1, new SimulatedHost.CommitPoint(2, 5, 2, three), durable);
        JointConfig five = JointConfig.simple(MajorityConfig.of(1, 2, 3, 4, 5));
        assertThatThrownBy(() -> checker.checkCommitWithinPersistedQuorum(1,
                new SimulatedHost.CommitPoint(2, 5, 2, five), durable))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("quorum persisted");
        JointConfig joint = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
        assertThatThrownBy(() -> checker.checkCommitWithinPersistedQuorum(1,
                new SimulatedHost.CommitPoint(2, 5, 2, joint), durable))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("quorum persisted");
    }

    @Test
    @DisplayName("votes are durable before they leave (§5.1, Figure 2)")
    void voteSentBeforeItIsDurableIsDetected() {
        Message grant = Message.builder(MessageType.VOTE_RESPONSE).from(3).to(2).term(5).build();
        checker.checkVotesDurableBeforeSent(new HardState(5, 2, 0), grant);
        checker.checkVotesDurableBeforeSent(new HardState(6, 0, 0), grant); // moved on: can never vote in 5 again
        assertThatThrownBy(() -> checker.checkVotesDurableBeforeSent(new HardState(4, 0, 0), grant))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("durable");
        assertThatThrownBy(() -> checker.checkVotesDurableBeforeSent(new HardState(5, 1, 0), grant))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("durable");
        Message request = Message.builder(MessageType.VOTE).from(3).to(1).term(7).build();
        assertThatThrownBy(() -> checker.checkVotesDurableBeforeSent(new HardState(7, 0, 0), request))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("durable");
    }

    @Test
    @DisplayName("terms and commit indexes never go back, and a restart comes back at the durable term")
    void termOrCommitGoingBackIsDetected() {
        checker.checkTermAndCommitNeverGoBack(1, 0, 5, 10, 5, 8);
        assertThatThrownBy(() -> checker.checkTermAndCommitNeverGoBack(1, 0, 4, 10, 4, 8))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("never go back");
        InvariantChecker c2 = new InvariantChecker();
        c2.checkTermAndCommitNeverGoBack(1, 0, 5, 10, 5, 8);
        assertThatThrownBy(() -> c2.checkTermAndCommitNeverGoBack(1, 0, 5, 9, 5, 8))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("never go back");
        InvariantChecker c3 = new InvariantChecker();
        c3.checkTermAndCommitNeverGoBack(1, 0, 5, 10, 5, 8);
        // A restart may lose the unsynced commit (10 -> 8) but must come back at the durable term.
        c3.checkTermAndCommitNeverGoBack(1, 1, 5, 8, 5, 8);
        assertThatThrownBy(() -> c3.checkTermAndCommitNeverGoBack(1, 2, 6, 8, 5, 8))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("restarted at term");
        InvariantChecker c4 = new InvariantChecker();
        c4.checkTermAndCommitNeverGoBack(1, 0, 5, 10, 5, 8);
        assertThatThrownBy(() -> c4.checkTermAndCommitNeverGoBack(1, 1, 5, 7, 5, 7))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("durable term/commit");
    }

    @Test
    @DisplayName("State Machine Safety (§5.4.3): applied sequences that diverge, skip or restore a wrong state are caught")
    void divergingAppliedSequencesAreDetected() {
        Entry a = e(1, 1, "a");
        long da = DigestStateMachine.next(0, a);
        checker.checkAppliedPrefixesAgree(1, 0, null, 0);
        checker.checkAppliedPrefixesAgree(1, 1, a, da);
        checker.checkAppliedPrefixesAgree(2, 0, null, 0);
        Entry b = e(1, 1, "b");
        assertThatThrownBy(() -> checker.checkAppliedPrefixesAgree(2, 1, b, DigestStateMachine.next(0, b)))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("applied prefixes agree");
        checker.checkAppliedPrefixesAgree(3, 0, null, 0);
        Entry c = e(1, 2, "c");
        assertThatThrownBy(() -> checker.checkAppliedPrefixesAgree(3, 2, c, 42))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("right after");
        assertThatThrownBy(() -> checker.checkAppliedPrefixesAgree(4, 1, null, da + 1))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("restored the state");
    }

    @Test
    @DisplayName("linearizable reads (thesis §6.4): a ReadIndex below a commit acknowledged before the request is caught")
    void staleReadIndexIsDetected() {
        checker.checkTermAndCommitNeverGoBack(1, 0, 2, 7, 2, 7);
        checker.readRequested(bytes("r1"));
        checker.checkReadIndexCoversAckedCommits(2, new ReadState(7, bytes("r1")));
        checker.readRequested(bytes("r2"));
        assertThatThrownBy(() -> checker.checkReadIndexCoversAckedCommits(2, new ReadState(6, bytes("r2"))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("read index");
        assertThatThrownBy(() -> checker.checkReadIndexCoversAckedCommits(2, new ReadState(9, bytes("nobody"))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("nobody asked");
    }
}
