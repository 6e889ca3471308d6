package io.flotilla.store.range;

import io.flotilla.store.rocks.StorageEngine;
import io.flotilla.store.rocks.StorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Deleting the user data of a range that left a node. All ranges share one ordered key space,
 * so the span of a destroyed range may by now belong, in part, to another range on the same
 * node (a split's child it still holds, or a newer replica of the span): that part stays.
 */
public final class UserDataSpans {
    private UserDataSpans() {
    }

    /**
     * Deletes the keys of {@code gone}'s span that none of {@code others} (the ranges still on
     * the node) owns, in one synced batch.
     */
    public static void deleteOwnedBy(StorageEngine storage, RangeDescriptor gone, List<RangeDescriptor> others) {
        List<RangeDescriptor> overlapping = new ArrayList<>();
        for (RangeDescriptor o : others) {
            if (o.rangeId() != gone.rangeId() && o.version() > 0 && overlaps(o, gone)) {
                overlapping.add(o);
            }
        }
        overlapping.sort((a, b) -> Arrays.compareUnsigned(a.startKey(), b.startKey()));
        byte[] from = gone.startKey();
        try (WriteBatch wb = new WriteBatch()) {
            for (RangeDescriptor o : overlapping) {
                if (Arrays.compareUnsigned(o.startKey(), from) > 0) {
                    deleteSpan(storage, wb, from, o.startKey());
                }
                if (o.endKey().length == 0) {
                    from = null;
                    break;
                }
                if (Arrays.compareUnsigned(o.endKey(), from) > 0) {
                    from = o.endKey();
                }
            }
            if (from != null && (gone.endKey().length == 0 || Arrays.compareUnsigned(from, gone.endKey()) < 0)) {
                deleteSpan(storage, wb, from, gone.endKey());
            }
            storage.db().write(storage.syncWrite(), wb);
        } catch (RocksDBException e) {
            throw new StorageException("cannot delete the data of range " + gone.rangeId(), e);
        }
    }

    static boolean overlaps(RangeDescriptor a, RangeDescriptor b) {
        boolean aStartsBeforeBEnds = b.endKey().length == 0 || Arrays.compareUnsigned(a.startKey(), b.endKey()) < 0;
        boolean bStartsBeforeAEnds = a.endKey().length == 0 || Arrays.compareUnsigned(b.startKey(), a.endKey()) < 0;
        return aStartsBeforeBEnds && bStartsBeforeAEnds;
    }

    /** {@code [start, end)}; an empty end means to the end of the key space. */
    private static void deleteSpan(StorageEngine storage, WriteBatch wb, byte[] start, byte[] end)
            throws RocksDBException {
        if (end.length > 0) {
            wb.deleteRange(storage.data(), start, end);
            return;
        }
        // No upper bound to give RocksDB: bound the range delete by the last key there is.
        try (RocksIterator it = storage.db().newIterator(storage.data())) {
            it.seekToLast();
            if (it.isValid() && Arrays.compareUnsigned(it.key(), start) >= 0) {
                byte[] last = it.key();
                wb.deleteRange(storage.data(), start, last);
                wb.delete(storage.data(), last);
            }
        }
    }
}
