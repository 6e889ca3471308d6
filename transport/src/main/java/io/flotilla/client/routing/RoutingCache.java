package io.flotilla.client.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.google.protobuf.ByteString;
import io.flotilla.transport.proto.RangeDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The client's view of which range holds which keys, keyed by range start key.
 *
 * <p>Two structures share the entries: a {@link ConcurrentSkipListMap} answers the floor lookup
 * that maps a key to the range starting at or before it (Caffeine has no ordered lookups), and a
 * size-bounded Caffeine cache decides which entries to evict. Caffeine's eviction listener runs
 * inside the eviction, so an evicted entry leaves the index too; a lookup touches the Caffeine
 * entry so that frequently used ranges stay.
 *
 * <p>Entries never overlap: storing a descriptor first removes every cached range it overlaps
 * (after a split, the parent's old, wider descriptor must not keep answering for the child's
 * keys). A descriptor older than the cached one for the same range id is ignored, so a lagging
 * node's answer cannot undo a newer one. Writers are serialized; lookups take no lock.
 */
public final class RoutingCache {
    private final ConcurrentSkipListMap<ByteString, RangeDescriptor> byStart =
            new ConcurrentSkipListMap<>(RangeBounds.KEY_ORDER);
    private final Cache<ByteString, RangeDescriptor> recency;
    private final Object writeLock = new Object();

    public RoutingCache(long maximumRanges) {
        if (maximumRanges < 1) {
            throw new IllegalArgumentException("maximumRanges must be at least 1, got " + maximumRanges);
        }
        this.recency = Caffeine.newBuilder()
                .maximumSize(maximumRanges)
                // Maintenance on the caller's thread: the index is pruned before the writer returns.
                .executor(Runnable::run)
                .evictionListener((ByteString start, RangeDescriptor range, RemovalCause cause) -> {
                    if (start != null && range != null) {
                        byStart.remove(start, range);
                    }
                })
                .build();
    }

    /** The cached range holding {@code key}, if any. */
    public Optional<RangeDescriptor> lookup(ByteString key) {
        Map.Entry<ByteString, RangeDescriptor> floor = byStart.floorEntry(key);
        if (floor == null || !RangeBounds.endsAfter(floor.getValue(), key)) {
            return Optional.empty();
        }
        // Touch the entry for the eviction policy. It may have been evicted or replaced since the
        // floor read (a split keeps the left part's start key), so check it again.
        RangeDescriptor range = recency.getIfPresent(floor.getKey());
        return range != null && RangeBounds.endsAfter(range, key) ? Optional.of(range) : Optional.empty();
    }

    /** Stores one descriptor, dropping the cached ranges it overlaps; false if it was stale. */
    public boolean put(RangeDescriptor range) {
        synchronized (writeLock) {
            List<RangeDescriptor> overlapping = overlapping(range);
            for (RangeDescriptor cached : overlapping) {
                if (cached.getRangeId() == range.getRangeId() && isNewer(cached, range)) {
                    return false;
                }
            }
            for (RangeDescriptor cached : overlapping) {
                remove(cached);
            }
            byStart.put(range.getStartKey(), range);
            recency.put(range.getStartKey(), range);
            return true;
        }
    }

    /** Stores the descriptors an EpochNotMatch names; each replaces what it overlaps. */
    public void putAll(Collection<RangeDescriptor> ranges) {
        for (RangeDescriptor range : ranges) {
            put(range);
        }
    }

    /** Drops the cached entry for this range (matched by range id and start key). */
    public void invalidate(RangeDescriptor range) {
        synchronized (writeLock) {
            RangeDescriptor cached = byStart.get(range.getStartKey());
            if (cached != null && cached.getRangeId() == range.getRangeId()) {
                remove(cached);
            }
        }
    }

    /** Drops every cached entry of this range id. */
    public void invalidate(long rangeId) {
        synchronized (writeLock) {
            for (RangeDescriptor cached : List.copyOf(byStart.values())) {
                if (cached.getRangeId() == rangeId) {
                    remove(cached);
                }
            }
        }
    }

    public int size() {
        return byStart.size();
    }

    /** Runs pending eviction work now; for tests that check the bound. */
    public void cleanUp() {
        recency.cleanUp();
    }

    private List<RangeDescriptor> overlapping(RangeDescriptor range) {
        List<RangeDescriptor> result = new ArrayList<>();
        // The range starting at or before ours may reach into it; then every range starting inside it.
        Map.Entry<ByteString, RangeDescriptor> floor = byStart.floorEntry(range.getStartKey());
        if (floor != null && RangeBounds.overlap(floor.getValue(), range)) {
            result.add(floor.getValue());
        }
        Map<ByteString, RangeDescriptor> after = range.getEndKey().isEmpty()
                ? byStart.tailMap(range.getStartKey(), false)
                : byStart.subMap(range.getStartKey(), false, range.getEndKey(), false);
        result.addAll(after.values());
        return result;
    }

    private void remove(RangeDescriptor cached) {
        byStart.remove(cached.getStartKey(), cached);
        recency.asMap().remove(cached.getStartKey(), cached);
    }

    private static boolean isNewer(RangeDescriptor a, RangeDescriptor b) {
        return a.getVersion() > b.getVersion()
                || (a.getVersion() == b.getVersion() && a.getConfVersion() > b.getConfVersion());
    }
}
