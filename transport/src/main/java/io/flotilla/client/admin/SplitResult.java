package io.flotilla.client.admin;

import io.flotilla.transport.proto.SplitRangeResponse;

/** The two ranges a split left: {@code left} ends where {@code right} starts, at the split key. */
public record SplitResult(RangeInfo left, RangeInfo right) {
    static SplitResult from(SplitRangeResponse response) {
        return new SplitResult(RangeInfo.from(response.getLeft()), RangeInfo.from(response.getRight()));
    }
}
