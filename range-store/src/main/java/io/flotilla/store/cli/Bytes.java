package io.flotilla.store.cli;

import io.flotilla.client.error.KeyText;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Keys and values as typed on a command line (UTF-8, or hex with --hex) and as shown back. */
final class Bytes {
    private Bytes() {
    }

    static byte[] parse(String text, boolean hex, String what) {
        if (text == null) {
            return null;
        }
        if (!hex) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not hex: " + text);
        }
    }

    static String show(byte[] bytes) {
        return bytes == null ? "" : KeyText.of(bytes);
    }

    /** A range bound: an empty start or end means the edge of the key space. */
    static String bound(byte[] key, boolean end) {
        if (key == null || key.length == 0) {
            return end ? "+inf" : "-inf";
        }
        return KeyText.of(key);
    }
}
