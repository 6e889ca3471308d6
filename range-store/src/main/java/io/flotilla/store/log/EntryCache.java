package io.flotilla.store.log;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flotilla.raft.message.Entry;

/**
 * Recent log entries of every group on the node, bounded by total bytes: a leader replicating
 * to a follower that is only a little behind reads from here, not from RocksDB.
 */
public final class EntryCache {
    private record Key(long groupId, long index) {
        @Override
        public int hashCode() {
            long h = (groupId * 0x9E3779B97F4A7C15L) ^ index;
            h *= 0xBF58476D1CE4E5B9L;
            return (int) (h ^ (h >>> 32));
        }
    }

    private final Cache<Key, Entry> cache;

    public EntryCache(long maxBytes) {
        this.cache = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((Key k, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.sizeBytes() + 48)).build();
    }

    public Entry get(long groupId, long index) {
        return cache.getIfPresent(new Key(groupId, index));
    }

    public void put(long groupId, Entry e) {
        cache.put(new Key(groupId, e.index()), e);
    }

    /** Drops entries {@code from..to} of a group (a truncated tail or a compacted head). */
    public void invalidate(long groupId, long from, long to) {
        for (long i = from; i <= to; i++) {
            cache.invalidate(new Key(groupId, i));
        }
    }

    public long estimatedSize() {
        return cache.estimatedSize();
    }
}
