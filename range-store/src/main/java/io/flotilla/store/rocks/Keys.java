package io.flotilla.store.rocks;

import java.nio.ByteBuffer;

/**
 * Key layout of the Raft column families. Group ids and indexes are big-endian so that
 * RocksDB's byte order is numeric order: a group's log is one contiguous, ordered span.
 */
public final class Keys {
    /** Suffixes of the per-group keys in the raft_state column family. */
    public static final byte HARD_STATE = 1;
    public static final byte APPLIED = 2;
    public static final byte TRUNCATED = 3;
    public static final byte DESCRIPTOR = 4;
    public static final byte CONF_STATE = 5;
    public static final byte CLIENT_SESSION = 6;

    private Keys() {
    }

    public static byte[] logKey(long groupId, long index) {
        return ByteBuffer.allocate(16).putLong(groupId).putLong(index).array();
    }

    /** The first key after every log entry of {@code groupId}. */
    public static byte[] logEnd(long groupId) {
        return ByteBuffer.allocate(16).putLong(groupId).putLong(-1L).array();
    }

    public static long logIndex(byte[] key) {
        return ByteBuffer.wrap(key, 8, 8).getLong();
    }

    public static long logGroup(byte[] key) {
        return ByteBuffer.wrap(key, 0, 8).getLong();
    }

    public static byte[] stateKey(long groupId, byte kind) {
        return ByteBuffer.allocate(9).putLong(groupId).put(kind).array();
    }

    /** A per-client key: the last request sequence applied for that client in the group. */
    public static byte[] sessionKey(long groupId, long clientId) {
        return ByteBuffer.allocate(17).putLong(groupId).put(CLIENT_SESSION).putLong(clientId).array();
    }

    /** Every session key of a group lies in [sessionStart, sessionEnd). */
    public static byte[] sessionStart(long groupId) {
        return stateKey(groupId, CLIENT_SESSION);
    }

    public static byte[] sessionEnd(long groupId) {
        return stateKey(groupId, (byte) (CLIENT_SESSION + 1));
    }

    public static long sessionClient(byte[] key) {
        return ByteBuffer.wrap(key, 9, 8).getLong();
    }

    /** Every raft_state key of a group lies in [stateStart, stateEnd). */
    public static byte[] stateStart(long groupId) {
        return ByteBuffer.allocate(8).putLong(groupId).array();
    }

    public static byte[] stateEnd(long groupId) {
        return ByteBuffer.allocate(8).putLong(groupId + 1).array();
    }
}
