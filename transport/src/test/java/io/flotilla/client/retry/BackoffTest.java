package io.flotilla.client.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rules: the backoff ceiling doubles from min up to max; the delay lies in [ceiling/2, ceiling]. */
class BackoffTest {
    private static final long MS = 1_000_000;

    @Test
    void theCeilingDoublesUntilTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.999999);
        assertThat(backoff.ceilingNanos(0)).isEqualTo(10 * MS);
        assertThat(backoff.ceilingNanos(1)).isEqualTo(20 * MS);
        assertThat(backoff.ceilingNanos(3)).isEqualTo(80 * MS);
        assertThat(backoff.ceilingNanos(4)).isEqualTo(100 * MS);
        assertThat(backoff.ceilingNanos(70)).as("no overflow far out").isEqualTo(100 * MS);
    }

    @Test
    void theDelayIsJitteredWithinTheUpperHalfOfTheCeiling() {
        Backoff low = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), () -> 0.999999);
        for (int retry = 0; retry < 20; retry++) {
            long ceiling = low.ceilingNanos(retry);
            assertThat(low.delayNanos(retry)).isEqualTo(ceiling / 2);
            assertThat(high.delayNanos(retry)).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void randomDelaysStayInsideTheBounds() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(50));
        for (int i = 0; i < 10_000; i++) {
            int retry = i % 12;
            assertThat(backoff.delayNanos(retry)).isBetween(MS / 2, 50 * MS);
        }
    }

    @Test
    void badBoundsAreRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below");
    }
}
