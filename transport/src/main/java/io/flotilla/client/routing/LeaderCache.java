package io.flotilla.client.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;

/**
 * Range id to the leader last seen for it. Filled from {@code Locate} answers and NotLeader hints,
 * forgotten when the leader stops answering or denies leading, bounded like the routing cache.
 */
public final class LeaderCache {
    private final Cache<Long, Leader> leaders;

    public LeaderCache(long maximumRanges) {
        this.leaders = Caffeine.newBuilder().maximumSize(maximumRanges).executor(Runnable::run).build();
    }

    public Optional<Leader> get(long rangeId) {
        return Optional.ofNullable(leaders.getIfPresent(rangeId));
    }

    public void put(long rangeId, Leader leader) {
        leaders.put(rangeId, leader);
    }

    public void invalidate(long rangeId) {
        leaders.invalidate(rangeId);
    }

    /** Forgets the leader of a range only if it is still the one the caller saw fail. */
    public void invalidate(long rangeId, String address) {
        leaders.asMap().computeIfPresent(rangeId, (id, leader) -> leader.address().equals(address) ? null : leader);
    }
}
