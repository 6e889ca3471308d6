package io.flotilla.store.range;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A range: its id, the span {@code [startKey, endKey)} of the one ordered key space it owns
 * (an empty end key means "to the end"), its replicas, and its epoch: {@code version} rises with
 * every split, {@code confVersion} with every membership change. A request that names an older
 * epoch was routed with stale information and is refused with the current descriptor.
 */
public record RangeDescriptor(long rangeId, byte[] startKey, byte[] endKey, List<ReplicaDescriptor> replicas,
                              long version, long confVersion) {

    public RangeDescriptor {
        Objects.requireNonNull(startKey, "startKey");
        Objects.requireNonNull(endKey, "endKey");
        replicas = List.copyOf(replicas);
    }

    /** Whether {@code key} lies in {@code [startKey, endKey)}. */
    public boolean contains(byte[] key) {
        return Arrays.compareUnsigned(key, startKey) >= 0 && (endKey.length == 0 || Arrays.compareUnsigned(key, endKey) < 0);
    }

    /** Whether {@code [start, end)} lies within this range (an empty end means "to the end"). */
    public boolean containsSpan(byte[] start, byte[] end) {
        if (!contains(start)) {
            return false;
        }
        if (endKey.length == 0) {
            return true;
        }
        return end.length != 0 && Arrays.compareUnsigned(end, endKey) <= 0;
    }

    /** Whether {@code key} splits this range into two non-empty halves. */
    public boolean isValidSplitKey(byte[] key) {
        return key.length > 0 && Arrays.compareUnsigned(key, startKey) > 0 && contains(key);
    }

    public ReplicaDescriptor replicaOnNode(long nodeId) {
        for (ReplicaDescriptor r : replicas) {
            if (r.nodeId() == nodeId) {
                return r;
            }
        }
        return null;
    }

    public ReplicaDescriptor replica(long replicaId) {
        for (ReplicaDescriptor r : replicas) {
            if (r.replicaId() == replicaId) {
                return r;
            }
        }
        return null;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + startKey.length + 4 + endKey.length + 4 + replicas.size() * 17 + 16);
        b.putLong(rangeId).putInt(startKey.length).put(startKey).putInt(endKey.length).put(endKey);
        b.putInt(replicas.size());
        for (ReplicaDescriptor r : replicas) {
            b.putLong(r.nodeId()).putLong(r.replicaId()).put((byte) (r.learner() ? 1 : 0));
        }
        b.putLong(version).putLong(confVersion);
        return b.array();
    }

    public static RangeDescriptor decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long id = b.getLong();
        byte[] start = new byte[b.getInt()];
        b.get(start);
        byte[] end = new byte[b.getInt()];
        b.get(end);
        int n = b.getInt();
        List<ReplicaDescriptor> replicas = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            replicas.add(new ReplicaDescriptor(b.getLong(), b.getLong(), b.get() == 1));
        }
        return new RangeDescriptor(id, start, end, replicas, b.getLong(), b.getLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeDescriptor d && d.rangeId == rangeId && Arrays.equals(d.startKey, startKey)
                && Arrays.equals(d.endKey, endKey) && d.replicas.equals(replicas) && d.version == version
                && d.confVersion == confVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rangeId, Arrays.hashCode(startKey), Arrays.hashCode(endKey), replicas, version, confVersion);
    }

    @Override
    public String toString() {
        return "r" + rangeId + "[" + printable(startKey) + ", " + (endKey.length == 0 ? "+inf" : printable(endKey))
                + ") v" + version + "." + confVersion + " " + replicas;
    }

    static String printable(byte[] k) {
        StringBuilder s = new StringBuilder();
        for (byte x : k) {
            if (x >= 0x20 && x < 0x7f) {
                s.append((char) x);
            } else {
                s.append(String.format("\\x%02x", x & 0xff));
            }
        }
        return s.toString();
    }
}
