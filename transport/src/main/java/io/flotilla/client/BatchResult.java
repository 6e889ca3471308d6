package io.flotilla.client;

import io.flotilla.client.error.KeyText;
import java.util.Arrays;
import java.util.Optional;

/**
 * The outcome of an atomic batch: either every operation applied, or none did because a
 * compare-and-set in it failed; then {@code actual} is the value that key held (empty if absent).
 */
public record BatchResult(boolean succeeded, Optional<byte[]> actual) {
    @Override
    public boolean equals(Object other) {
        return other instanceof BatchResult r && succeeded == r.succeeded
                && actual.isPresent() == r.actual.isPresent()
                && (actual.isEmpty() || Arrays.equals(actual.get(), r.actual.get()));
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(succeeded) * 31 + actual.map(Arrays::hashCode).orElse(0);
    }

    @Override
    public String toString() {
        return succeeded ? "BatchResult[succeeded]"
                : "BatchResult[failed, actual=" + actual.map(KeyText::of).orElse("absent") + "]";
    }
}
