package io.flotilla.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The walk over a node's groups after a peer node died, done by the workers a slice at a time
 * rather than by the clock or the network thread that noticed the death: with a hundred
 * thousand groups the walk takes milliseconds, and the clock must keep ticking meanwhile.
 * Each slice judges its groups from what they last published (see {@link NodeEngine} for the
 * rules) and wakes only those that must act.
 */
final class NodeDeathSweep {
    /** Groups judged per slice: small enough that a worker soon returns to the groups with work. */
    static final int SLICE = 1024;

    final long deadNode;
    /** The engine tick at which the death was declared; staggered campaigns count from it. */
    final long diedAt;
    private final Group[] groups;
    private final AtomicInteger next = new AtomicInteger();

    NodeDeathSweep(long deadNode, long diedAt, Group[] groups) {
        this.deadNode = deadNode;
        this.diedAt = diedAt;
        this.groups = groups;
    }

    /** Claims the next slice: its first index, or -1 when every group has been claimed. */
    int claim() {
        int start = next.getAndAdd(SLICE);
        return start < groups.length ? start : -1;
    }

    boolean exhausted() {
        return next.get() >= groups.length;
    }

    int end(int start) {
        return Math.min(groups.length, start + SLICE);
    }

    Group group(int i) {
        return groups[i];
    }
}
