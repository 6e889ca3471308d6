package io.flotilla.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * When each awake group next has something to do on its own — an election timeout, a
 * heartbeat, a staggered campaign — as buckets of groups by engine tick. The clock visits only
 * the buckets it passes, so a tick costs the groups due then, not every awake group: a
 * follower that hears from its leader every other tick is never woken by the clock at all,
 * and its skipped ticks are counted when it next runs (see {@link NodeEngine}).
 *
 * <p>A group sits in at most one bucket that counts: moving it earlier leaves a stale entry
 * behind, skipped when its bucket comes up; moving it later leaves it where it is, and when
 * that bucket comes up it is moved on instead of run.</p>
 */
final class TickWheel {
    private final Map<Long, List<Group>> buckets = new HashMap<>();
    /** The last tick whose bucket was taken; nothing is filed at or before it. */
    private long passed;

    /** Files {@code g} to run by tick {@code due} ({@link Group#NEVER}: only when something else wakes it). */
    synchronized void schedule(Group g, long due) {
        g.dueTick = due;
        if (due == Group.NEVER) {
            return; // any entry left behind is dropped when its bucket comes up
        }
        long at = Math.max(due, passed + 1);
        if (g.wheelTick == 0 || g.wheelTick > at) {
            buckets.computeIfAbsent(at, t -> new ArrayList<>(64)).add(g);
            g.wheelTick = at;
        }
    }

    /** Takes the groups due at ticks up to {@code now} and hands each to {@code due}, outside the lock. */
    void advance(long now, Consumer<Group> due) {
        List<Group> fire = null;
        synchronized (this) {
            for (long t = passed + 1; t <= now; t++) {
                List<Group> bucket = buckets.remove(t);
                if (bucket == null) {
                    continue;
                }
                for (Group g : bucket) {
                    if (g.wheelTick != t) {
                        continue; // filed again, earlier; this entry is stale
                    }
                    g.wheelTick = 0;
                    if (g.dueTick <= now) {
                        if (fire == null) {
                            fire = new ArrayList<>(bucket.size());
                        }
                        fire.add(g);
                    } else if (g.dueTick != Group.NEVER) {
                        long at = g.dueTick;
                        buckets.computeIfAbsent(at, k -> new ArrayList<>(64)).add(g);
                        g.wheelTick = at;
                    }
                }
            }
            passed = Math.max(passed, now);
        }
        if (fire != null) {
            fire.forEach(due);
        }
    }

    /** Groups filed, stale entries included; for tests. */
    synchronized int size() {
        int n = 0;
        for (List<Group> b : buckets.values()) {
            n += b.size();
        }
        return n;
    }
}
