package io.flotilla.engine;

import io.flotilla.raft.StateRole;

/**
 * Time for each group of a node. A group is ticked only when it runs: the node's clock wakes
 * it only at the tick it next has something to do on its own
 * ({@link io.flotilla.raft.Raft#ticksUntilDue()}, filed in a {@link TickWheel}), and whenever
 * it runs, for whatever reason, it is first ticked through the ticks it skipped, so its Raft
 * sees the same sequence as if ticked every tick. A follower that hears from its leader every
 * other tick is thus never woken by the clock at all.
 *
 * <p>Ticks a group could not run on time because the workers lagged are capped
 * ({@link EngineConfig#maxTickDebt()}) rather than replayed; a quiesced group's clock stops,
 * and sleep is never replayed; a survivor held back after its leader's node died (see
 * {@link LeaderLossPlan}) has its election clock stand still. Whenever time is cut, the
 * replica forfeits its leader lease: the answers it counted may be older than its tick count
 * says. Only the worker holding a group calls these.</p>
 */
final class GroupClock {
    private final EngineConfig config;
    private final EngineMetrics metrics;
    private final TickWheel wheel;

    GroupClock(EngineConfig config, EngineMetrics metrics, TickWheel wheel) {
        this.config = config;
        this.metrics = metrics;
        this.wheel = wheel;
    }

    /** A new group counts from {@code now}. */
    void start(Group g, long now) {
        g.tickedThrough = now;
    }

    /**
     * Counts the engine ticks the group has not seen yet: those it skipped while nothing was
     * due, all of them, and of those it ran late for, at most {@link EngineConfig#maxTickDebt()}
     * (the rest are dropped). Delivers at once the ticks before the one that was due, and
     * returns how many are left to deliver (with {@link #deliver}) after the inbox: a tick that
     * makes something happen (a timeout, a heartbeat) comes after what arrived before it, so a
     * heartbeat waiting there still counts before the election timer is judged.
     */
    long catchUp(Group g, long now) {
        if (g.quiesced) {
            return 0;
        }
        if (g.tickedThrough == Group.ASLEEP) {
            // Woken: the time asleep is not replayed, and no lease survives it.
            g.tickedThrough = now;
            g.node.forfeitLease();
            return 0;
        }
        long through = g.tickedThrough;
        if (now <= through) {
            return 0;
        }
        long due = g.dueTick;
        long skipped = Math.max(0, Math.min(now, due) - through);
        long late = now - Math.max(due, through);
        long ticks = skipped + Math.min(Math.max(0, late), config.maxTickDebt());
        if (late > config.maxTickDebt()) {
            metrics.droppedTicks.add(late - config.maxTickDebt());
            g.node.forfeitLease();
        }
        // Beyond two election timeouts more ticks change nothing a replica decides on: bound the loop.
        long bound = 2L * config.electionTick() + config.heartbeatTick();
        if (ticks > bound) {
            ticks = bound;
            g.node.forfeitLease(); // time was cut: no lease may count on it
        }
        g.tickedThrough = now;
        g.idleTicks += (int) ticks;
        LeaderLossPlan plan = g.leaderLoss;
        if (plan != null && !plan.campaigns() && g.node.raft().role() == StateRole.LEADER) {
            // A leader's clock is never held (it became one by a transfer, say): it needs every
            // tick, for check-quorum and its lease.
            g.leaderLoss = null;
            plan = null;
        }
        if (plan != null && !plan.campaigns()) {
            // Ticks through the hold are not delivered: the election clock stands still.
            long held = Math.min(ticks, Math.max(0, plan.heldThrough() - through));
            ticks -= held;
            through += held;
            if (now >= plan.heldThrough()) {
                g.leaderLoss = null;
            }
        }
        long before = Math.max(0, Math.min(ticks, due - through - 1));
        deliver(g, before);
        return ticks - before;
    }

    /** Ticks the group's Raft {@code ticks} times (none while quiesced). */
    void deliver(Group g, long ticks) {
        if (ticks <= 0 || g.quiesced) {
            return;
        }
        for (long i = 0; i < ticks; i++) {
            g.node.tick();
        }
        metrics.groupTicks.add(ticks);
    }

    /** Files the group in the wheel for the next tick at which it has something to do on its own. */
    void fileNext(Group g) {
        if (g.quiesced) {
            return;
        }
        long due = Group.NEVER;
        int wait = g.node.raft().ticksUntilDue();
        if (wait != Integer.MAX_VALUE) {
            due = g.tickedThrough + wait;
        }
        LeaderLossPlan plan = g.leaderLoss;
        if (plan != null && plan.campaigns()) {
            due = Math.min(due, plan.campaignAt());
        } else if (plan != null && due != Group.NEVER) {
            due = Math.max(due, plan.heldThrough() + wait); // the clock resumes after the hold
        }
        wheel.schedule(g, due);
    }

    /** Stops the group's clock: it quiesces. */
    void stop(Group g) {
        g.tickedThrough = Group.ASLEEP;
        g.idleTicks = 0;
        g.leaderLoss = null;
        wheel.schedule(g, Group.NEVER);
    }
}
