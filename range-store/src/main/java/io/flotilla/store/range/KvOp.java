package io.flotilla.store.range;

/** One change to user data inside a range; a {@link KvCommand} applies a list of them atomically. */
public sealed interface KvOp permits KvOp.Put, KvOp.Delete, KvOp.DeleteRange, KvOp.CompareAndSet {

    /** The keys this op touches start here (for routing and range checks). */
    byte[] key();

    record Put(byte[] key, byte[] value) implements KvOp {
    }

    record Delete(byte[] key) implements KvOp {
    }

    /** Deletes {@code [key, end)}; an empty end means "to the end of the range". */
    record DeleteRange(byte[] key, byte[] end) implements KvOp {
    }

    /**
     * Sets {@code key} to {@code value} (null: deletes it) only if its current value equals
     * {@code expected} (null: the key must be absent). In a batch, one failed comparison
     * aborts the whole batch.
     */
    record CompareAndSet(byte[] key, byte[] expected, byte[] value) implements KvOp {
    }
}
