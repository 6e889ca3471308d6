package io.flotilla.bench.ycsb;

import java.nio.charset.StandardCharsets;

/**
 * YCSB's (table, key) as one Flotilla key: {@code table + "/" + key}. A table is then a
 * contiguous slice of the key space, so a YCSB scan is one range scan that stops at the
 * table's end: {@code table + "0"}, '0' being the character after '/'.
 */
public final class TableKeys {
    private TableKeys() {
    }

    public static byte[] key(String table, String key) {
        return (table + "/" + key).getBytes(StandardCharsets.UTF_8);
    }

    /** The first key after every key of {@code table}. */
    public static byte[] tableEnd(String table) {
        return (table + "0").getBytes(StandardCharsets.UTF_8);
    }

    /** The YCSB key of a Flotilla key of {@code table}. */
    public static String ycsbKey(String table, byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return s.substring(table.length() + 1);
    }
}
