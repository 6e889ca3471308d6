package io.flotilla.store.range;

/**
 * What applying a write did. {@code applied} is false when a compare-and-set did not match
 * ({@code actual} then holds the value found, null if absent) or the request was refused
 * ({@code error}); in both cases the write changed nothing.
 */
public record ApplyResult(long index, boolean applied, byte[] actual, RangeException error) {
    public static ApplyResult ok(long index) {
        return new ApplyResult(index, true, null, null);
    }
}
