package io.flotilla.placement.balance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BalanceToleranceTest {

    private final BalanceTolerance tolerance = BalanceTolerance.defaults();

    @Test
    void theSlackIsOneOrFivePercentWhicheverIsLarger() {
        assertThat(tolerance.allowed(10)).isEqualTo(1.0);
        assertThat(tolerance.allowed(200)).isEqualTo(10.0);
        assertThat(tolerance.within(11, 10)).isTrue();
        assertThat(tolerance.above(12, 10)).isTrue();
        assertThat(tolerance.below(189, 200)).isTrue();
        assertThat(tolerance.within(190, 200)).isTrue();
    }

    @Test
    void bothNeighboursOfAFractionalMeanAreWithin() {
        assertThat(tolerance.within(66, 66.67)).isTrue();
        assertThat(tolerance.within(67, 66.67)).isTrue();
        assertThat(tolerance.within(2, 2.5)).isTrue();
        assertThat(tolerance.within(3, 2.5)).isTrue();
    }

    @Test
    void aSlackUnderHalfIsRefusedBecauseNoWholeCountsCouldMeetIt() {
        assertThatThrownBy(() -> new BalanceTolerance(0, 0.4)).isInstanceOf(IllegalArgumentException.class);
    }
}
