package io.flotilla.client.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** One page of the range listing; pass {@code nextPageToken} back for the next, absent after the last. */
public record RangePage(List<RangeStatusInfo> ranges, Optional<byte[]> nextPageToken) {
    public RangePage {
        ranges = List.copyOf(ranges);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RangePage p && ranges.equals(p.ranges)
                && nextPageToken.isPresent() == p.nextPageToken.isPresent()
                && (nextPageToken.isEmpty() || Arrays.equals(nextPageToken.get(), p.nextPageToken.get()));
    }

    @Override
    public int hashCode() {
        return ranges.hashCode() * 31 + nextPageToken.map(Arrays::hashCode).orElse(0);
    }
}
