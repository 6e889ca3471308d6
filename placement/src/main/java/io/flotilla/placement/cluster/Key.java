package io.flotilla.placement.cluster;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable key of the one ordered key space, compared as unsigned bytes like the store
 * orders them. As a range end, the empty key means "to the end of the key space".
 */
public final class Key implements Comparable<Key> {

    /** The empty key: the start of the key space, or as an end key, its end. */
    public static final Key EMPTY = new Key(new byte[0]);

    private final byte[] bytes;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key holding a copy of {@code bytes}, so later changes to the array do not reach it. */
    public static Key of(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("a key needs bytes, got null");
        }
        return bytes.length == 0 ? EMPTY : new Key(bytes.clone());
    }

    /** A copy of the key's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length == 0 ? "\"\"" : HexFormat.of().formatHex(bytes);
    }
}
