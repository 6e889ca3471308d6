package io.flotilla.client;

import io.flotilla.client.error.KeyText;
import java.util.Arrays;

/**
 * A key and its value, as a scan returns them. The arrays are not copied (scans return many);
 * treat them as read-only. Equality compares contents.
 */
public record KeyValue(byte[] key, byte[] value) {
    @Override
    public boolean equals(Object other) {
        return other instanceof KeyValue kv && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return KeyText.of(key) + "=" + KeyText.of(value);
    }
}
