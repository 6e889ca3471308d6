package io.flotilla.client.admin;

import io.flotilla.transport.proto.ChangeResponse;

/** A range as it is after a leader transfer or replica change, and its leader (0 if unknown). */
public record RangeChange(RangeInfo range, long leaderNodeId) {
    static RangeChange from(ChangeResponse response) {
        return new RangeChange(RangeInfo.from(response.getRange()), response.getLeaderNodeId());
    }
}
