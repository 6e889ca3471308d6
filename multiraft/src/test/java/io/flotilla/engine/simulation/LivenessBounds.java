package io.flotilla.engine.simulation;

import io.flotilla.engine.EngineConfig;

/**
 * How many ticks a healed cluster may take to recover, derived from the engine's timers.
 * E = electionTick, L = livenessTimeoutTicks, S = campaignStaggerTicks, Q = quiesceAfterIdleTicks,
 * D = the largest network delay used (envelopes sent before the heal still arrive up to D ticks
 * late).
 *
 * <p><b>Leaders, with pre-vote: D + L + S + 9E.</b> At the heal every node runs again, but a
 * group may have no leader, a stale one, or a quiesced follower that still holds a lease on a
 * leader that is gone. Worst case, one after the other: D for old envelopes to drain; L + S for
 * a quiesced group whose leader's node went silent just before the heal to be woken by node
 * liveness and for its staggered campaign; a woken follower's first randomized election
 * timeout, at most 2E (Raft paper §5.2: timeouts are uniform in [E, 2E)); its pre-vote can be
 * refused by a replica whose check-quorum lease (E ticks, thesis §4.2.3) has not run out — a
 * quiesced replica's lease only starts running when it wakes — so a second timeout, 2E more;
 * and two split votes, 2E each, which randomized timeouts make unlikely in a row. That is 8E;
 * one E more of slack keeps rare three-way splits from failing a seed. (Measured over 300
 * seeds: at most 3.7E.)</p>
 *
 * <p><b>Leaders, without pre-vote: D + L + S + 30E.</b> A replica whose log is behind cannot
 * win, but each of its campaigns raises the term and resets the others' timers (the disruption
 * pre-vote exists to prevent, thesis §9.6), so a round of at most 2E is lost whenever it times
 * out first — with three replicas, about one round in three. Fifteen lost rounds in a row have
 * probability (1/3)^15, below 10^-7 per group, negligible even over a soak's 5000 seeds of
 * hundreds of groups. (Measured over 300 seeds: at most 9.8E.)</p>
 *
 * <p><b>Commit: 3E.</b> With stable leaders and no faults a proposal commits in one round trip
 * within a tick; a replica back from a crash may first need the leader to probe back to where
 * its log diverges (one heartbeat, every tick, per probe), then learns the commit with the next
 * heartbeat. A leadership transfer begun before the heal refuses proposals (they are retried)
 * until the transferee takes over or the leader gives up after E ticks (thesis §3.10). 3E
 * covers both with a wide margin.</p>
 *
 * <p><b>Quiescence: Q + 2E.</b> A leader quiesces after Q idle ticks once every follower holds
 * and applied everything; its request reaches the followers with the next tick's coalesced
 * heartbeats. A follower that disagreed (it had not yet applied the last entry) wakes the group
 * on its next election timeout, at most 2E later, and the next attempt succeeds.</p>
 */
record LivenessBounds(int leaderTicks, int commitTicks, int quiesceTicks) {

    static LivenessBounds of(EngineConfig c, int maxDelayTicks) {
        int e = c.electionTick();
        int elections = c.preVote() ? 9 * e : 30 * e;
        return new LivenessBounds(maxDelayTicks + c.livenessTimeoutTicks() + c.campaignStaggerTicks() + elections,
                3 * e, c.quiesceAfterIdleTicks() + 2 * e);
    }
}
