package io.flotilla.raft.confchange;

import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.TrackerConfig;

import java.util.SortedMap;

/** A configuration and the progress map that goes with it, ready to install. */
public record ChangeResult(TrackerConfig config, SortedMap<Long, Progress> progress) {
}
