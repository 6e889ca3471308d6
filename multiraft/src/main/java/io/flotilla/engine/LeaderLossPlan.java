package io.flotilla.engine;

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

    /** The plan after an attempt: the next one, or null when none is left. */
    LeaderLossPlan afterAttempt() {
        return attempts > 1 ? new LeaderLossPlan(campaignAt + RETRY_TICKS, 0, term, attempts - 1) : null;
    }
}
