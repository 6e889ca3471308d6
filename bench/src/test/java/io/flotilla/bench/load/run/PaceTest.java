package io.flotilla.bench.load.run;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PaceTest {
    @Test
    @DisplayName("open loop: each thread's schedule is its share of the rate, threads staggered within one interval")
    void openLoopSchedule() {
        // 1,000 ops/s over 4 threads: each thread every 4 ms, thread t starting t ms in.
        Pace t0 = Pace.open(1000, 4, 0, 1_000_000_000L);
        Pace t3 = Pace.open(1000, 4, 3, 1_000_000_000L);
        assertThat(t0.intervalNanos()).isEqualTo(4_000_000L);
        assertThat(t0.intendedStart(0)).isEqualTo(1_000_000_000L);
        assertThat(t0.intendedStart(250)).isEqualTo(2_000_000_000L);
        assertThat(t3.intendedStart(0)).isEqualTo(1_003_000_000L);
        // Over one second the four threads together are scheduled exactly 1,000 operations.
        long scheduled = 0;
        for (int t = 0; t < 4; t++) {
            Pace p = Pace.open(1000, 4, t, 0);
            for (long k = 0; p.intendedStart(k) < 1_000_000_000L; k++) {
                scheduled++;
            }
        }
        assertThat(scheduled).isEqualTo(1000);
        assertThat(Pace.closed().open()).isFalse();
    }
}
