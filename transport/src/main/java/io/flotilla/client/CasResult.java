package io.flotilla.client;

import io.flotilla.client.error.KeyText;
import java.util.Arrays;
import java.util.Optional;

/**
 * The outcome of a compare-and-set. When it did not succeed, {@code actual} is the value the key
 * held (empty if the key was absent); when it succeeded, {@code actual} is empty.
 */
public record CasResult(boolean succeeded, Optional<byte[]> actual) {
    @Override
    public boolean equals(Object other) {
        return other instanceof CasResult r && succeeded == r.succeeded
                && actual.isPresent() == r.actual.isPresent()
                && (actual.isEmpty() || Arrays.equals(actual.get(), r.actual.get()));
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(succeeded) * 31 + actual.map(Arrays::hashCode).orElse(0);
    }

    @Override
    public String toString() {
        return succeeded ? "CasResult[succeeded]"
                : "CasResult[failed, actual=" + actual.map(KeyText::of).orElse("absent") + "]";
    }
}
