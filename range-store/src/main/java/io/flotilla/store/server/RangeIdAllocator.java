package io.flotilla.store.server;

import io.flotilla.store.node.StoreNode;

import java.nio.ByteBuffer;

/**
 * New range ids for splits this node leads, unique across the cluster without asking anyone:
 * {@code nodeId << 32 | n}, where n counts this node's splits. There is no cluster metadata
 * group yet to hand out ids, and a split must not wait for one; partitioning the id space by
 * node makes ids from different nodes distinct by construction (range 1, the initial range,
 * lies below every such id). The counter is reserved in blocks, each persisted (synced) in the
 * node's RocksDB before any id of it is used, so a crash or restart skips the unused rest of a
 * block and never hands out an id twice.
 */
public final class RangeIdAllocator {
    /** Node metadata kind of the reserved-up-to counter. */
    static final byte RESERVED_KIND = 0x21;
    static final long BLOCK = 1000;
    private static final long MAX_COUNTER = (1L << 32) - 1;

    private final StoreNode store;
    private final long nodeId;
    private long next;
    private long reservedUpTo;

    public RangeIdAllocator(StoreNode store) {
        this.store = store;
        this.nodeId = store.nodeId();
        byte[] v = store.nodeMeta(RESERVED_KIND);
        this.reservedUpTo = v == null ? 0 : ByteBuffer.wrap(v).getLong();
        this.next = reservedUpTo + 1;
    }

    public synchronized long next() {
        if (next > reservedUpTo) {
            long upTo = Math.min(reservedUpTo + BLOCK, MAX_COUNTER);
            if (next > upTo) {
                throw new IllegalStateException("node " + nodeId + " has used up its range ids");
            }
            store.putNodeMeta(RESERVED_KIND, ByteBuffer.allocate(8).putLong(upTo).array());
            reservedUpTo = upTo;
        }
        return (nodeId << 32) | next++;
    }
}
