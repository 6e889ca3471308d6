package io.flotilla.raft;

import io.flotilla.raft.message.HardState;
import io.flotilla.raft.tracker.TrackerConfig;

import java.util.Map;

/**
 * A snapshot of a replica's state for observers (admin APIs, tests).
 *
 * @param progress on a leader, a description of each member's progress; empty otherwise
 */
public record RaftStatus(long id, HardState hardState, SoftState softState, long applied, long lastIndex,
                         long leadTransferee, TrackerConfig config, Map<Long, String> progress) {
}
