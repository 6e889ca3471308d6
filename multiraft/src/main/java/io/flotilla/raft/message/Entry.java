package io.flotilla.raft.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * One log entry. {@code data} is owned by the entry once created and must not be changed.
 * An entry with empty data is the no-op a new leader appends (Raft paper §8).
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    private static final byte[] NO_DATA = new byte[0];

    /** Fixed per-entry overhead counted in size limits, so empty entries still cost something. */
    public static final int OVERHEAD_BYTES = 24;

    public Entry {
        Objects.requireNonNull(type, "type");
        data = data == null ? NO_DATA : data;
    }

    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    public static Entry empty(long term, long index) {
        return new Entry(term, index, EntryType.NORMAL, NO_DATA);
    }

    /** The same entry placed at a new term and index, as a leader does when it appends it. */
    public Entry at(long newTerm, long newIndex) {
        return new Entry(newTerm, newIndex, type, data);
    }

    /** Bytes this entry counts for against message, Ready and uncommitted-size limits. */
    public long sizeBytes() {
        return OVERHEAD_BYTES + data.length;
    }

    /** Payload bytes only: what the uncommitted-size limit counts (an empty no-op is free). */
    public long payloadSize() {
        return data.length;
    }

    public boolean isConfChange() {
        return type == EntryType.CONF_CHANGE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return term + "/" + index + (type == EntryType.CONF_CHANGE ? " conf" : "")
                + (data.length == 0 ? "" : " " + printable(data));
    }

    private static String printable(byte[] data) {
        boolean text = data.length <= 64;
        for (byte b : data) {
            text &= b >= 0x20 && b < 0x7f;
        }
        return text ? new String(data, java.nio.charset.StandardCharsets.US_ASCII) : data.length + "B";
    }
}
