package io.flotilla.engine;

import io.flotilla.raft.StateRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the survivor designated to take over a dead leader's group campaigns, and how often. */
class LeaderLossPlanTest {
    private static final long GAVE_UP_IN = 7;
    private final LeaderLossPlan plan = LeaderLossPlan.campaign(100, GAVE_UP_IN, 10);

    @Test
    @DisplayName("it campaigns while its pre-vote has not got through: still in the term it gave the leader up in")
    void campaignsUntilThePreVoteGetsThrough() {
        assertThat(plan.shouldCampaign(StateRole.FOLLOWER, GAVE_UP_IN, 0, 0)).isTrue();
        assertThat(plan.shouldCampaign(StateRole.PRE_CANDIDATE, GAVE_UP_IN, 0, 0)).isTrue();
        assertThat(plan.shouldCampaign(StateRole.PRE_CANDIDATE, GAVE_UP_IN, 0, 1))
                .as("a pre-vote refused by a survivor still honouring the lease").isTrue();
    }

    @Test
    @DisplayName("a real candidate refused by a voter campaigns again: its split vote does not wait for a random timeout (§5.2)")
    void aSplitVoteIsRetriedAtOnce() {
        assertThat(plan.shouldCampaign(StateRole.CANDIDATE, GAVE_UP_IN + 1, 0, 1)).isTrue();
        assertThat(plan.shouldCampaign(StateRole.CANDIDATE, GAVE_UP_IN + 2, 0, 1)).isTrue();
    }

    @Test
    @DisplayName("a real candidate still waiting for its answers does not campaign again: that would discard the votes on their way")
    void aCandidateWaitingForItsVotesKeepsWaiting() {
        assertThat(plan.shouldCampaign(StateRole.CANDIDATE, GAVE_UP_IN + 1, 0, 0)).isFalse();
    }

    @Test
    @DisplayName("it stands aside once a leader is known, once it leads, or once it voted for another survivor in a later term")
    void standsAsideWhenAnotherReplicaIsWinning() {
        assertThat(plan.shouldCampaign(StateRole.FOLLOWER, GAVE_UP_IN + 1, 0, 0))
                .as("a follower in a later term gave its vote to the other survivor, which is winning").isFalse();
        assertThat(plan.shouldCampaign(StateRole.FOLLOWER, GAVE_UP_IN + 1, 3, 0)).isFalse();
        assertThat(plan.shouldCampaign(StateRole.FOLLOWER, GAVE_UP_IN, 3, 0)).isFalse();
        assertThat(plan.shouldCampaign(StateRole.LEADER, GAVE_UP_IN + 1, 1, 0)).isFalse();
    }

    @Test
    @DisplayName("its attempts are bounded: one every few ticks within the election timeout the others hold back")
    void attemptsAreBoundedWithinTheHold() {
        LeaderLossPlan p = plan;
        int attempts = 0;
        long last = 0;
        while (p != null) {
            attempts++;
            last = p.campaignAt();
            p = p.afterAttempt();
        }
        assertThat(attempts).isEqualTo(10 / LeaderLossPlan.RETRY_TICKS);
        assertThat(last - 100).isLessThan(10);
    }
}
