package io.flotilla.engine;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The queue of groups with work. A group is queued at most once; while a worker processes it,
 * new work only marks it dirty, and the worker re-queues it when done, so two workers never
 * hold the same group (the shape of CockroachDB's raft scheduler).
 */
final class WorkScheduler {
    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int RUNNING = 2;
    static final int RUNNING_DIRTY = 3;

    private final ConcurrentLinkedQueue<Group> queue = new ConcurrentLinkedQueue<>();

    /** Marks the group as having work; queues it unless it is queued or running already. */
    void schedule(Group g) {
        while (true) {
            int s = g.schedState.get();
            switch (s) {
                case IDLE -> {
                    if (g.schedState.compareAndSet(IDLE, QUEUED)) {
                        queue.add(g);
                        return;
                    }
                }
                case RUNNING -> {
                    if (g.schedState.compareAndSet(RUNNING, RUNNING_DIRTY)) {
                        return;
                    }
                }
                default -> {
                    return; // QUEUED or RUNNING_DIRTY: it will be looked at
                }
            }
        }
    }

    /** Takes up to {@code max} queued groups, marking them running. */
    int take(List<Group> out, int max) {
        int n = 0;
        Group g;
        while (n < max && (g = queue.poll()) != null) {
            g.schedState.set(RUNNING);
            out.add(g);
            n++;
        }
        return n;
    }

    /** The worker is done with {@code g}: re-queue it if work arrived meanwhile. */
    void done(Group g) {
        if (!g.schedState.compareAndSet(RUNNING, IDLE)) {
            g.schedState.set(QUEUED);
            queue.add(g);
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
