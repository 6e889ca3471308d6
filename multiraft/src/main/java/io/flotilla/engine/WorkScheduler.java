package io.flotilla.engine;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The queue of groups with work. A group is queued at most once; while a worker processes it,
 * new work only marks it dirty, and the worker re-queues it when done, so two workers never
 * hold the same group (the shape of CockroachDB's raft scheduler).
 *
 * <p>The clock drops a mark into the queue at every tick; the queue is first in, first out, so
 * the newest mark the workers have taken tells how far behind the clock they are.</p>
 */
final class WorkScheduler {
    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int RUNNING = 2;
    static final int RUNNING_DIRTY = 3;

    /** Groups, and {@link TickMark}s. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private volatile long reachedTick;

    private static final java.lang.invoke.VarHandle REACHED;

    static {
        try {
            REACHED = java.lang.invoke.MethodHandles.lookup().findVarHandle(WorkScheduler.class, "reachedTick", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record TickMark(long tick) {
    }

    /** Marks the group as having work; queues it unless it is queued or running already. */
    void schedule(Group g) {
        while (true) {
            int s = g.schedState();
            switch (s) {
                case IDLE -> {
                    if (g.casSchedState(IDLE, QUEUED)) {
                        queue.add(g);
                        return;
                    }
                }
                case RUNNING -> {
                    if (g.casSchedState(RUNNING, RUNNING_DIRTY)) {
                        return;
                    }
                }
                default -> {
                    return; // QUEUED or RUNNING_DIRTY: it will be looked at
                }
            }
        }
    }

    /**
     * Queues the mark of tick {@code tick}, behind every group queued so far. With nothing
     * queued, every group queued before now has been taken already: the tick is reached at
     * once, and no worker has to wake for it (an idle node's clock then wakes no one).
     *
     * @return whether a mark was queued, for a worker to take
     */
    boolean mark(long tick) {
        if (queue.isEmpty()) {
            reached(tick);
            return false;
        }
        queue.add(new TickMark(tick));
        return true;
    }

    private void reached(long tick) {
        // Workers and the clock both move it, and a worker may report an older mark late.
        long r;
        while ((r = reachedTick) < tick && !REACHED.compareAndSet(this, r, tick)) {
            Thread.onSpinWait();
        }
    }

    /** The newest tick whose mark a worker has taken: every group queued before it was taken too. */
    long reachedTick() {
        return reachedTick;
    }

    /**
     * Takes up to {@code max} queued groups, marking them running, and the tick marks among
     * them. Returns how many items it took, marks included.
     */
    int take(List<Group> out, int max) {
        int n = 0;
        Object item;
        while (out.size() < max && (item = queue.poll()) != null) {
            n++;
            if (item instanceof TickMark m) {
                reached(m.tick());
                continue;
            }
            Group g = (Group) item;
            g.setSchedState(RUNNING);
            out.add(g);
        }
        return n;
    }

    /** The worker is done with {@code g}: re-queue it if work arrived meanwhile. */
    void done(Group g) {
        if (!g.casSchedState(RUNNING, IDLE)) {
            g.setSchedState(QUEUED);
            queue.add(g);
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
