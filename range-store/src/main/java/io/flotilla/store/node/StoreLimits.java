package io.flotilla.store.node;

/**
 * Request size limits; anything larger gets a typed error and changes nothing.
 *
 * @param maxKeyBytes     largest key
 * @param maxValueBytes   largest value
 * @param maxBatchOps     most operations in one atomic batch
 * @param maxBatchBytes   most key+value bytes in one batch
 */
public record StoreLimits(int maxKeyBytes, int maxValueBytes, int maxBatchOps, long maxBatchBytes) {
    public static final StoreLimits DEFAULT = new StoreLimits(8 << 10, 1 << 20, 1024, 4L << 20);
}
