package io.flotilla.bench.load.keys;

import java.util.PriorityQueue;

/**
 * Hands out the record numbers of new inserts and tells the key choosers how many records may
 * be read: only up to the first insert not yet acknowledged. Inserts finish out of order across
 * threads; counting a record as readable before its put returned would make reads of the
 * newest keys (the hot ones under "latest") miss. YCSB's AcknowledgedCounterGenerator does
 * the same job.
 */
public final class InsertCounter {
    private long nextToHand;
    // Read on every key choice by every thread: volatile, so that read takes no lock.
    private volatile long readable;
    private final PriorityQueue<Long> doneAhead = new PriorityQueue<>();

    /** @param existing records 0 .. existing-1 exist already (the load phase wrote them) */
    public InsertCounter(long existing) {
        this.nextToHand = existing;
        this.readable = existing;
    }

    /** The record number for a new insert. */
    public synchronized long next() {
        return nextToHand++;
    }

    /** The insert of {@code record} is done (or failed: a missing record reads as not found, not an error). */
    public synchronized void acknowledge(long record) {
        if (record == readable) {
            readable++;
            while (!doneAhead.isEmpty() && doneAhead.peek() == readable) {
                doneAhead.poll();
                readable++;
            }
        } else if (record > readable) {
            doneAhead.add(record);
        }
    }

    /** Records 0 .. readable-1 may be chosen for reads and updates. */
    public long readable() {
        return readable;
    }
}
