package io.flotilla.raft.simulation;

import io.flotilla.raft.log.LogStorageException;
import io.flotilla.raft.log.RaftLog;
import io.flotilla.raft.message.Entry;

import java.util.List;

/** The terms of one replica's log over the indexes it still holds, as the invariant checks read it. */
interface LogView {
    /** The term at {@code index}: the entry's, or the compaction point's at {@code firstIndex() - 1}. */
    long term(long index);

    long firstIndex();

    long lastIndex();

    /** A live replica's log, unstable tail included. */
    static LogView of(RaftLog log) {
        return new LogView() {
            @Override
            public long term(long index) {
                try {
                    return log.term(index);
                } catch (LogStorageException e) {
                    throw new IllegalArgumentException("index " + index + " is not held", e);
                }
            }

            @Override
            public long firstIndex() {
                return log.firstIndex();
            }

            @Override
            public long lastIndex() {
                return log.lastIndex();
            }
        };
    }

    /** A log given as its entries and the term just before them (for tests that hand-craft histories). */
    static LogView of(long termBeforeFirst, List<Entry> entries, long firstIndex) {
        return new LogView() {
            @Override
            public long term(long index) {
                if (index == firstIndex - 1) {
                    return termBeforeFirst;
                }
                if (index < firstIndex || index > lastIndex()) {
                    throw new IllegalArgumentException("index " + index + " is not held");
                }
                return entries.get((int) (index - firstIndex)).term();
            }

            @Override
            public long firstIndex() {
                return firstIndex;
            }

            @Override
            public long lastIndex() {
                return firstIndex + entries.size() - 1;
            }
        };
    }
}
