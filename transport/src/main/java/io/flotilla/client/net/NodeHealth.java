package io.flotilla.client.net;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Which node addresses recently failed at the transport level (UNAVAILABLE, a missed deadline).
 * A suspect address is passed over while others remain, for a fixed period, after which it gets
 * another chance; if every candidate is suspect, the one whose suspicion ends first is tried,
 * so the client never refuses to try at all.
 */
public final class NodeHealth {
    private final ConcurrentHashMap<String, Long> suspectUntil = new ConcurrentHashMap<>();
    private final long suspectNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger rotation = new AtomicInteger();

    public NodeHealth(long suspectNanos, LongSupplier nanoClock) {
        this.suspectNanos = suspectNanos;
        this.nanoClock = nanoClock;
    }

    public void markSuspect(String address) {
        suspectUntil.put(address, nanoClock.getAsLong() + suspectNanos);
    }

    /** Clears a mark after the node answered; true if it had been marked (its channel may need a nudge). */
    public boolean markHealthy(String address) {
        return suspectUntil.remove(address) != null;
    }

    public boolean isSuspect(String address) {
        Long until = suspectUntil.get(address);
        return until != null && until - nanoClock.getAsLong() > 0;
    }

    /** Whether the address was marked at some point and not cleared since (suspect or expired). */
    public boolean wasMarked(String address) {
        return suspectUntil.containsKey(address);
    }

    /**
     * Picks one of {@code candidates}, rotating between calls so load and retries spread: a
     * healthy address other than {@code avoid} first, then {@code avoid} if healthy, then the
     * suspect whose mark ends soonest.
     */
    public Optional<String> choose(List<String> candidates, String avoid) {
        int n = candidates.size();
        if (n == 0) {
            return Optional.empty();
        }
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        String healthyAvoided = null;
        String leastSuspect = null;
        long leastUntil = Long.MAX_VALUE;
        long now = nanoClock.getAsLong();
        for (int i = 0; i < n; i++) {
            String address = candidates.get((start + i) % n);
            Long until = suspectUntil.get(address);
            if (until == null || until - now <= 0) {
                if (!address.equals(avoid)) {
                    return Optional.of(address);
                }
                healthyAvoided = address;
            } else if (leastSuspect == null || until - leastUntil < 0) {
                leastSuspect = address;
                leastUntil = until;
            }
        }
        return Optional.of(healthyAvoided != null ? healthyAvoided : leastSuspect);
    }
}
