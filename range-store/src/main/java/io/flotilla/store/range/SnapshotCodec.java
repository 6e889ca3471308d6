package io.flotilla.store.range;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;

/**
 * The data part of a range snapshot: the descriptor, then every key and value of the span in
 * key order (so the receiver can write SST files directly).
 */
final class SnapshotCodec {
    private SnapshotCodec() {
    }

    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer(RangeDescriptor d) {
            try {
                byte[] desc = d.encode();
                out.writeInt(desc.length);
                out.write(desc);
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

    /** Reads the descriptor, then hands every pair to {@code pairs} in order. */
    static RangeDescriptor read(byte[] data, BiConsumer<byte[], byte[]> pairs) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            byte[] desc = in.readNBytes(in.readInt());
            RangeDescriptor d = RangeDescriptor.decode(desc);
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
