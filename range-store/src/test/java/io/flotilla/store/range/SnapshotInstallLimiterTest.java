package io.flotilla.store.range;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotInstallLimiterTest {
    @Test
    void noMoreInstallsRunAtOnceThanAllowed() throws Exception {
        SnapshotInstallLimiter limiter = new SnapshotInstallLimiter(2, 0);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            new Thread(() -> {
                try {
                    limiter.acquire(1);
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                    running.decrementAndGet();
                    limiter.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }).start();
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(peak.get()).isEqualTo(2);
    }

    @Test
    void theByteRateSpacesInstallsOut() throws Exception {
        SnapshotInstallLimiter limiter = new SnapshotInstallLimiter(4, 1_000_000);
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            limiter.acquire(100_000); // 0.1 s of budget each
            limiter.release();
        }
        // The third install may start only once the first two used their 0.2 s of budget.
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new SnapshotInstallLimiter(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnapshotInstallLimiter(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
