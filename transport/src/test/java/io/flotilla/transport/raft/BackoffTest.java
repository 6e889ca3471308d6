package io.flotilla.transport.raft;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private static final long MIN = Duration.ofMillis(100).toNanos();
    private static final long MAX = Duration.ofSeconds(5).toNanos();

    @Test
    void delaysDoubleFromMinToMaxAndNeverLeaveThatRange() {
        Backoff b = new Backoff(Duration.ofNanos(MIN), Duration.ofNanos(MAX), 7);
        for (int failures = 1; failures <= 100; failures++) {
            long d = b.delayNanos(failures);
            assertThat(d).as("delay after %d failures", failures).isBetween(MIN, MAX);
        }
        assertThat(b.delayNanos(1)).isLessThan((long) (MIN * 1.2) + 1);
        assertThat(b.delayNanos(4)).isBetween(8 * MIN, (long) (8 * MIN * 1.2));
        assertThat(b.delayNanos(30)).isBetween((long) (MAX * 0.8), MAX);
    }

    @Test
    void delaysAreJitteredSoNodesDoNotRetryInLockstep() {
        Backoff b = new Backoff(Duration.ofNanos(MIN), Duration.ofNanos(MAX), 11);
        Set<Long> first = new HashSet<>();
        Set<Long> saturated = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            first.add(b.delayNanos(1));
            saturated.add(b.delayNanos(50));
        }
        assertThat(first).hasSizeGreaterThan(10);
        assertThat(saturated).hasSizeGreaterThan(10);
    }
}
