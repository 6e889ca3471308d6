package io.flotilla.store.range;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A write proposed to a range: ops applied atomically, identified by (clientId, seq) so that
 * a retried request is applied at most once (Raft thesis §6.3, client sessions).
 */
public record KvCommand(long clientId, long seq, List<KvOp> ops) {
    private static final byte KIND_KV = 'K';

    /**
     * The client id of requests without a session: always applied, never deduplicated. A client
     * that retries uses its own id with one request outstanding at a time, so that "sequence at
     * most the last applied" really means "already applied".
     */
    public static final long NO_SESSION = 0;

    public KvCommand {
        ops = List.copyOf(ops);
    }

    public byte[] encode() {
        int size = 1 + 8 + 8 + 4;
        for (KvOp op : ops) {
            size += 1 + 3 * 4 + op.key().length;
            if (op instanceof KvOp.Put p) {
                size += p.value().length;
            } else if (op instanceof KvOp.DeleteRange r) {
                size += r.end().length;
            } else if (op instanceof KvOp.CompareAndSet c) {
                size += len(c.expected()) + len(c.value());
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(KIND_KV).putLong(clientId).putLong(seq).putInt(ops.size());
        for (KvOp op : ops) {
            if (op instanceof KvOp.Put p) {
                b.put((byte) 1);
                bytes(b, p.key());
                bytes(b, p.value());
            } else if (op instanceof KvOp.Delete d) {
                b.put((byte) 2);
                bytes(b, d.key());
            } else if (op instanceof KvOp.DeleteRange r) {
                b.put((byte) 3);
                bytes(b, r.key());
                bytes(b, r.end());
            } else if (op instanceof KvOp.CompareAndSet c) {
                b.put((byte) 4);
                bytes(b, c.key());
                bytes(b, c.expected());
                bytes(b, c.value());
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static int len(byte[] v) {
        return v == null ? 0 : v.length;
    }

    /** Length-prefixed; -1 stands for null. */
    private static void bytes(ByteBuffer b, byte[] v) {
        if (v == null) {
            b.putInt(-1);
        } else {
            b.putInt(v.length).put(v);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        int n = b.getInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad length " + n);
        }
        byte[] v = new byte[n];
        b.get(v);
        return v;
    }

    public static boolean isKvCommand(byte[] data) {
        return data.length > 0 && data[0] == KIND_KV;
    }

    /** Decodes {@link #encode()}'s output; anything else gets an IllegalArgumentException. */
    public static KvCommand decode(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != KIND_KV) {
                throw new IllegalArgumentException("not a KV command");
            }
            long client = b.getLong();
            long seq = b.getLong();
            int n = b.getInt();
            if (n < 0 || n > data.length) {
                throw new IllegalArgumentException("bad op count " + n);
            }
            List<KvOp> ops = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte type = b.get();
                ops.add(switch (type) {
                    case 1 -> new KvOp.Put(bytes(b), bytes(b));
                    case 2 -> new KvOp.Delete(bytes(b));
                    case 3 -> new KvOp.DeleteRange(bytes(b), bytes(b));
                    case 4 -> new KvOp.CompareAndSet(bytes(b), bytes(b), bytes(b));
                    default -> throw new IllegalArgumentException("unknown op " + type);
                });
            }
            return new KvCommand(client, seq, ops);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated KV command", e);
        }
    }
}
