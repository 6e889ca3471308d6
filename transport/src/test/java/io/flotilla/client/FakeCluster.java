package io.flotilla.client;

import com.google.protobuf.ByteString;
import io.flotilla.client.routing.RangeBounds;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.Replica;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The truth that {@link FakeNode}s answer from: ranges, their leaders, the data and the write
 * dedup table. Tests change it (split a range, move a leader) to put a client's caches out of
 * date, then check how the client catches up. Not a Raft cluster: every node reads this one map.
 */
final class FakeCluster implements AutoCloseable {
    private final TreeMap<ByteString, RangeDescriptor> ranges = new TreeMap<>(RangeBounds.KEY_ORDER);
    private final Map<Long, Long> leaders = new HashMap<>();
    private final TreeMap<ByteString, ByteString> data = new TreeMap<>(RangeBounds.KEY_ORDER);
    private final Map<Long, Long> lastSeqByClient = new HashMap<>();
    private final List<AppliedWrite> applied = new ArrayList<>();
    private final Map<Long, FakeNode> nodes = new HashMap<>();

    /** A write the cluster applied (duplicates are not applied). */
    record AppliedWrite(long clientId, long seq, ByteString key) {
    }

    static ByteString key(String text) {
        return ByteString.copyFromUtf8(text);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Starts nodes with ids 1..count on loopback. */
    List<FakeNode> startNodes(int count) throws IOException {
        List<FakeNode> started = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            FakeNode node = FakeNode.start(id, this);
            synchronized (this) {
                nodes.put(id, node);
            }
            started.add(node);
        }
        return started;
    }

    /** Adds a range {@code [start, end)} ("" end: to the end) replicated on {@code replicaNodes}, led by the first. */
    synchronized RangeDescriptor addRange(long rangeId, String start, String end, long version, long... replicaNodes) {
        RangeDescriptor.Builder range = RangeDescriptor.newBuilder().setRangeId(rangeId)
                .setStartKey(key(start)).setEndKey(key(end)).setVersion(version).setConfVersion(1);
        for (long node : replicaNodes) {
            range.addReplicas(Replica.newBuilder().setNodeId(node).setReplicaId(node));
        }
        RangeDescriptor built = range.build();
        ranges.put(built.getStartKey(), built);
        leaders.put(rangeId, replicaNodes[0]);
        return built;
    }

    /**
     * Splits the range holding {@code at}: the left part keeps the id, the right gets
     * {@code newRangeId}; both bump the version.
     */
    synchronized void split(String at, long newRangeId) {
        RangeDescriptor parent = rangeFor(key(at));
        RangeDescriptor left = parent.toBuilder().setEndKey(key(at)).setVersion(parent.getVersion() + 1).build();
        RangeDescriptor right = parent.toBuilder().setRangeId(newRangeId).setStartKey(key(at))
                .setVersion(parent.getVersion() + 1).build();
        ranges.put(left.getStartKey(), left);
        ranges.put(right.getStartKey(), right);
        leaders.put(newRangeId, leaders.get(parent.getRangeId()));
    }

    synchronized void setLeader(long rangeId, long nodeId) {
        leaders.put(rangeId, nodeId);
    }

    synchronized RangeDescriptor rangeFor(ByteString key) {
        Map.Entry<ByteString, RangeDescriptor> floor = ranges.floorEntry(key);
        return floor != null && RangeBounds.contains(floor.getValue(), key) ? floor.getValue() : null;
    }

    synchronized RangeDescriptor rangeById(long rangeId) {
        return ranges.values().stream().filter(r -> r.getRangeId() == rangeId).findFirst().orElse(null);
    }

    synchronized List<RangeDescriptor> ranges() {
        return new ArrayList<>(ranges.values());
    }

    synchronized long leaderOf(long rangeId) {
        return leaders.getOrDefault(rangeId, 0L);
    }

    synchronized FakeNode node(long nodeId) {
        return nodes.get(nodeId);
    }

    synchronized void put(String key, String value) {
        data.put(key(key), key(value));
    }

    synchronized ByteString value(ByteString key) {
        return data.get(key);
    }

    synchronized NavigableMap<ByteString, ByteString> dataSnapshot() {
        return new TreeMap<>(data);
    }

    /**
     * Applies a write unless the dedup table says it is a retry: the server keeps only the latest
     * seq per client id and treats anything at or below it as already applied.
     */
    synchronized boolean applyOnce(long clientId, long seq, Runnable write, ByteString key) {
        if (clientId != 0) {
            Long last = lastSeqByClient.get(clientId);
            if (last != null && seq <= last) {
                return false;
            }
            lastSeqByClient.put(clientId, seq);
        }
        write.run();
        applied.add(new AppliedWrite(clientId, seq, key));
        return true;
    }

    synchronized void write(ByteString key, ByteString valueOrNull) {
        if (valueOrNull == null) {
            data.remove(key);
        } else {
            data.put(key, valueOrNull);
        }
    }

    synchronized void deleteRange(ByteString start, ByteString end) {
        (end.isEmpty() ? data.tailMap(start, true) : data.subMap(start, true, end, false)).clear();
    }

    synchronized List<AppliedWrite> applied() {
        return List.copyOf(applied);
    }

    /** An address nothing listens on: a port the OS just handed out and took back. */
    static String deadAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        List<FakeNode> all;
        synchronized (this) {
            all = new ArrayList<>(nodes.values());
        }
        all.forEach(FakeNode::close);
    }
}
