package io.flotilla.bench.load.keys;

import java.nio.charset.StandardCharsets;

/**
 * Turns a record number into the key stored: {@code "user"} and 19 digits. Hashed by default
 * (YCSB's {@code insertorder=hashed}), so consecutive inserts land all over the key space
 * instead of all in the last range; ordered keys keep the record number as is, for scans over
 * consecutive inserts.
 */
public final class KeyNames {
    static final String PREFIX = "user";
    private static final int DIGITS = 19;

    private final boolean hashed;

    public KeyNames(boolean hashed) {
        this.hashed = hashed;
    }

    public byte[] key(long record) {
        long n = hashed ? Fnv.hash64(record) & Long.MAX_VALUE : record;
        byte[] out = new byte[PREFIX.length() + DIGITS];
        for (int i = 0; i < PREFIX.length(); i++) {
            out[i] = (byte) PREFIX.charAt(i);
        }
        for (int i = out.length - 1; i >= PREFIX.length(); i--) {
            out[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        return out;
    }

    public String keyString(long record) {
        return new String(key(record), StandardCharsets.US_ASCII);
    }
}
