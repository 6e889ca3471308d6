package io.flotilla.store.range;

import java.util.Map;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;

/**
 * The data part of a range snapshot: the descriptor, the client sessions (each client's last
 * applied request sequence), then every key and value of the span in key order (so the
 * receiver can write SST files directly). Sessions are part of the replicated state: whether a
 * retried request applies is decided on every replica, so a replica that caught up by snapshot
 * must decide as the others do.
 */
final class SnapshotCodec {
    private SnapshotCodec() {
    }

    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer(RangeDescriptor d, Map<Long, Long> sessions) {
            try {
                byte[] desc = d.encode();
                out.writeInt(desc.length);
                out.write(desc);
                out.writeInt(sessions.size());
                for (Map.Entry<Long, Long> e : sessions.entrySet()) {
                    out.writeLong(e.getKey());
                    out.writeLong(e.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(byte[] key, byte[] value) {
            try {
                out.writeInt(key.length);
                out.write(key);
                out.writeInt(value.length);
                out.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] finish() {
            return bytes.toByteArray();
        }
    }

    /** Reads the descriptor, puts the sessions into {@code sessions}, then hands every pair to {@code pairs} in order. */
    static RangeDescriptor read(byte[] data, Map<Long, Long> sessions, BiConsumer<byte[], byte[]> pairs) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            byte[] desc = in.readNBytes(in.readInt());
            RangeDescriptor d = RangeDescriptor.decode(desc);
            int n = in.readInt();
            if (n < 0 || n > in.available() / 16) {
                throw new IllegalArgumentException("malformed range snapshot: " + n + " sessions");
            }
            for (int i = 0; i < n; i++) {
                sessions.put(in.readLong(), in.readLong());
            }
            while (in.available() > 0) {
                byte[] k = in.readNBytes(in.readInt());
                byte[] v = in.readNBytes(in.readInt());
                pairs.accept(k, v);
            }
            return d;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed range snapshot", e);
        }
    }
}
