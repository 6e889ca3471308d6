package io.flotilla.store.range;

import java.nio.ByteBuffer;

/**
 * Splits a range at {@code splitKey}: the parent keeps {@code [start, splitKey)}, a new range
 * {@code newRangeId} takes {@code [splitKey, end)} with the parent's current replicas (replica
 * ids are per group, so the child reuses them). A Raft command of the parent, identified by
 * (clientId, seq) like every write.
 */
public record SplitCommand(long clientId, long seq, long newRangeId, byte[] splitKey) {
    private static final byte KIND_SPLIT = 'S';

    public byte[] encode() {
        return ByteBuffer.allocate(1 + 8 + 8 + 8 + 4 + splitKey.length).put(KIND_SPLIT).putLong(clientId).putLong(seq)
                .putLong(newRangeId).putInt(splitKey.length).put(splitKey).array();
    }

    public static boolean isSplit(byte[] data) {
        return data.length > 0 && data[0] == KIND_SPLIT;
    }

    public static SplitCommand decode(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != KIND_SPLIT) {
                throw new IllegalArgumentException("not a split command");
            }
            long client = b.getLong();
            long seq = b.getLong();
            long id = b.getLong();
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("bad split key length " + n);
            }
            byte[] key = new byte[n];
            b.get(key);
            return new SplitCommand(client, seq, id, key);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated split command", e);
        }
    }
}
