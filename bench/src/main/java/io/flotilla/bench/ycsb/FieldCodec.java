package io.flotilla.bench.ycsb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A YCSB record (field name to bytes) as one Flotilla value. Layout: a version byte (1), the
 * field count, then per field in name order its name length, UTF-8 name, value length and
 * value; lengths are unsigned LEB128 varints. Name order makes the encoding of a record one
 * value exactly, so a compare-and-set against bytes read earlier compares records, not maps.
 */
public final class FieldCodec {
    static final byte VERSION = 1;

    private FieldCodec() {
    }

    public static byte[] encode(Map<String, byte[]> fields) {
        TreeMap<String, byte[]> sorted = new TreeMap<>(fields);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + sorted.size() * 112);
        out.write(VERSION);
        writeVarint(out, sorted.size());
        for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            writeVarint(out, name.length);
            out.writeBytes(name);
            writeVarint(out, e.getValue().length);
            out.writeBytes(e.getValue());
        }
        return out.toByteArray();
    }

    /**
     * The fields of an encoded record, in name order.
     *
     * @throws IllegalArgumentException if the bytes are not a record this codec wrote
     */
    public static Map<String, byte[]> decode(byte[] bytes) {
        Reader r = new Reader(bytes);
        if (bytes.length == 0 || r.next() != VERSION) {
            throw new IllegalArgumentException("not a YCSB record: unknown version or empty value");
        }
        int count = r.varint();
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = new String(r.bytes(r.varint()), StandardCharsets.UTF_8);
            fields.put(name, r.bytes(r.varint()));
        }
        if (r.at != bytes.length) {
            throw new IllegalArgumentException("not a YCSB record: " + (bytes.length - r.at) + " bytes after the last field");
        }
        return fields;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    /** Bounds-checked reading, so a corrupt value fails with a message rather than an index error. */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        byte next() {
            if (at >= bytes.length) {
                throw new IllegalArgumentException("not a YCSB record: truncated at byte " + at);
            }
            return bytes[at++];
        }

        int varint() {
            int value = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                byte b = next();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0) {
                        break;
                    }
                    return value;
                }
            }
            throw new IllegalArgumentException("not a YCSB record: bad length at byte " + at);
        }

        byte[] bytes(int n) {
            if (n > bytes.length - at) {
                throw new IllegalArgumentException("not a YCSB record: a field runs past the end");
            }
            byte[] out = new byte[n];
            System.arraycopy(bytes, at, out, 0, n);
            at += n;
            return out;
        }
    }
}
