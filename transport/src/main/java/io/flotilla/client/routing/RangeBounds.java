package io.flotilla.client.routing;

import com.google.protobuf.ByteString;
import io.flotilla.transport.proto.RangeDescriptor;
import java.util.Comparator;

/**
 * Key order and range spans as the server defines them: keys compare as unsigned bytes, a range
 * holds {@code [start_key, end_key)}, and an empty end key means the end of the key space.
 */
public final class RangeBounds {
    /** Unsigned lexicographic order, the order of the server's key space. */
    public static final Comparator<ByteString> KEY_ORDER = ByteString.unsignedLexicographicalComparator();

    private RangeBounds() {
    }

    public static boolean contains(RangeDescriptor range, ByteString key) {
        return KEY_ORDER.compare(range.getStartKey(), key) <= 0 && endsAfter(range, key);
    }

    /** Whether the range's end lies after {@code key} (an empty end lies after every key). */
    public static boolean endsAfter(RangeDescriptor range, ByteString key) {
        return range.getEndKey().isEmpty() || KEY_ORDER.compare(key, range.getEndKey()) < 0;
    }

    /** Whether {@code [start, end)} (empty end: unbounded) lies inside the range. */
    public static boolean containsSpan(RangeDescriptor range, ByteString start, ByteString end) {
        if (!contains(range, start)) {
            return false;
        }
        if (range.getEndKey().isEmpty()) {
            return true;
        }
        return !end.isEmpty() && KEY_ORDER.compare(end, range.getEndKey()) <= 0;
    }

    /** Whether two ranges share at least one key. */
    public static boolean overlap(RangeDescriptor a, RangeDescriptor b) {
        return endsAfter(a, b.getStartKey()) && endsAfter(b, a.getStartKey());
    }
}
