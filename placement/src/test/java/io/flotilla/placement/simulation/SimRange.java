package io.flotilla.placement.simulation;

import io.flotilla.placement.cluster.Key;
import io.flotilla.placement.cluster.RangeStats;
import io.flotilla.placement.cluster.Replica;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One range of the model. Keys are 8-byte big-endian numbers in {@code [0, KEY_SPACE)}; the
 * last range's end is {@link #KEY_SPACE}, shown to placement as the empty key.
 */
final class SimRange {

    static final long KEY_SPACE = 1L << 40;

    final long id;
    long start;
    long end;
    final List<Replica> replicas = new ArrayList<>();
    long leader;
    long version = 1;
    long confVersion = 1;
    long bytes;
    double reads;
    double writes;
    /** When the leader was lost, for a delayed election; -1 while led. */
    long leaderLostAt = -1;

    // What the last heartbeat reported, reused while the range is unchanged: building keys
    // for every replica of every range on every round would dominate a run.
    private long cachedStart = -1;
    private long cachedEnd = -1;
    private long cachedBytes = -1;
    private double cachedLoad = -1;
    private Key startKey;
    private Key endKey;
    private RangeStats stats;

    SimRange(long id, long start, long end) {
        this.id = id;
        this.start = start;
        this.end = end;
    }

    static Key key(long k) {
        return k >= KEY_SPACE ? Key.EMPTY : Key.of(ByteBuffer.allocate(8).putLong(k).array());
    }

    static long number(Key key) {
        byte[] b = key.bytes();
        if (b.length != 8) {
            throw new IllegalArgumentException("not a simulated key: " + key);
        }
        return ByteBuffer.wrap(b).getLong();
    }

    Key startKey() {
        refresh();
        return startKey;
    }

    Key endKey() {
        refresh();
        return endKey;
    }

    /** Size and load as the leader reports them, with sampled midpoints. */
    RangeStats stats() {
        refresh();
        return stats;
    }

    private void refresh() {
        if (cachedStart == start && cachedEnd == end && cachedBytes == bytes && cachedLoad == reads * 1e6 + writes) {
            return;
        }
        cachedStart = start;
        cachedEnd = end;
        cachedBytes = bytes;
        cachedLoad = reads * 1e6 + writes;
        startKey = key(start);
        endKey = key(end);
        stats = new RangeStats(bytes, reads, writes, SimulatedCluster.WINDOW_MILLIS,
                Optional.of(key(sizeMidpoint())), Optional.of(key(loadMidpoint())));
    }

    Replica replicaOn(long node) {
        for (Replica r : replicas) {
            if (r.nodeId() == node) {
                return r;
            }
        }
        return null;
    }

    List<Replica> voters() {
        List<Replica> voters = new ArrayList<>(replicas.size());
        for (Replica r : replicas) {
            if (r.isVoter()) {
                voters.add(r);
            }
        }
        return voters;
    }

    long sizeMidpoint() {
        return start + (end - start) / 2;
    }

    long loadMidpoint() {
        return start + (end - start) / 3;
    }
}
