package io.flotilla.raft.log;

import io.flotilla.raft.message.Entry;

import java.util.ArrayList;
import java.util.List;

/** Builders for runs of log entries, written as "starting at this index, with these terms". */
final class LogEntries {
    private LogEntries() {
    }

    /** Entries at {@code first, first+1, ...} with the given terms and empty data. */
    static List<Entry> from(long first, long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(Entry.empty(terms[i], first + i));
        }
        return out;
    }

    /** Entries at {@code first..first+count-1}, all of {@code term}, each with {@code dataBytes} of data. */
    static List<Entry> sized(long first, int count, long term, int dataBytes) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Entry.normal(term, first + i, new byte[dataBytes]));
        }
        return out;
    }

    /** Storage holding entries from index 1 with the given terms. */
    static MemoryLogStorage storage(long... terms) {
        MemoryLogStorage s = new MemoryLogStorage();
        s.append(from(1, terms));
        return s;
    }

    static List<Long> indexes(List<Entry> entries) {
        return entries.stream().map(Entry::index).toList();
    }

    static List<Long> terms(List<Entry> entries) {
        return entries.stream().map(Entry::term).toList();
    }
}
