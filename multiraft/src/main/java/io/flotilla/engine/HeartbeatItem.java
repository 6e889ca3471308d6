package io.flotilla.engine;

/**
 * One group's heartbeat (or its response) inside a coalesced batch: a few longs instead of a
 * full message. With {@code quiesce} set, the leader also asks the follower to stop its
 * election timer (the group is idle and the follower has everything).
 */
public record HeartbeatItem(long groupId, long from, long to, long term, long commit, boolean quiesce) {
}
