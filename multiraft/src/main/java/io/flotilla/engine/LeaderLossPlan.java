package io.flotilla.engine;

import io.flotilla.raft.StateRole;

/**
 * What one surviving replica does after its leader's node was declared dead: the designated
 * campaigner campaigns at its staggered tick, and again every {@link #RETRY_TICKS} while no
 * leader emerges (a survivor whose node has not yet declared the death still keeps its lease
 * and ignores the pre-vote); every other survivor holds its election clock until an election
 * timeout after the first attempt, so its own timer does not race the designated one. Held by
 * the group only while it applies, so an idle group carries a null reference, not the fields.
 *
 * @param campaignAt  engine tick at which to campaign; 0 for a replica that only holds
 * @param heldThrough engine tick through which the election clock is held; 0 for the campaigner
 * @param term        the term when the leader was given up: if it moved since (this replica
 *                    voted for another survivor, or its campaign reached the election), the
 *                    plan is done
 * @param attempts    campaigns left, the one at {@code campaignAt} included
 */
record LeaderLossPlan(long campaignAt, long heldThrough, long term, int attempts) {
    /** Ticks between the designated campaigner's attempts: a pre-vote round trip, with room. */
    static final int RETRY_TICKS = 3;

    /** A campaign at {@code at}, retried within the {@code electionTick} the others hold back. */
    static LeaderLossPlan campaign(long at, long term, int electionTick) {
        return new LeaderLossPlan(at, 0, term, Math.max(1, electionTick / RETRY_TICKS));
    }

    static LeaderLossPlan hold(long through, long term) {
        return new LeaderLossPlan(0, through, term, 0);
    }

    boolean campaigns() {
        return campaignAt != 0;
    }

    /**
     * Whether the campaigner, found in {@code role} at {@code term} knowing leader {@code lead},
     * should campaign (again) now. Not once a leader is known or it leads. Yes while its term is
     * the one it gave up the leader in: its pre-vote has not got through yet (the other survivor
     * still honoured the lease, or the request is still on its way). Yes as a real candidate
     * that a voter refused ({@code rejectedVotes > 0}): with one survivor besides it, that is a
     * split vote (the other survivor's own timer fired before its node declared the death, and
     * it voted for itself), which otherwise waits out a random election timeout of 1-2 s; the
     * other survivor now holds its clock, so the next term's campaign wins. Not as a candidate
     * merely waiting: under load the answers take longer than the retry interval, and
     * campaigning again would throw away the votes on their way (measured: twice the term
     * increments and twice the recovery time).
     */
    boolean shouldCampaign(StateRole role, long term, long lead, int rejectedVotes) {
        if (lead != 0 || role == StateRole.LEADER) {
            return false;
        }
        return term == this.term || (role == StateRole.CANDIDATE && rejectedVotes > 0);
    }

    /** The plan after an attempt: the next one, or null when none is left. */
    LeaderLossPlan afterAttempt() {
        return attempts > 1 ? new LeaderLossPlan(campaignAt + RETRY_TICKS, 0, term, attempts - 1) : null;
    }
}
