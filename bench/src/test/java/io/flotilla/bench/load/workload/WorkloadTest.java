package io.flotilla.bench.load.workload;

import io.flotilla.bench.load.keys.KeyDistribution;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WorkloadTest {
    @Test
    @DisplayName("a mix picks each operation in its proportion")
    void mixProportions() {
        OperationMix mix = new OperationMix(0.2, 0.3, 0.1, 0.15, 0.25);
        SplittableRandom random = new SplittableRandom(5);
        Map<Operation, Integer> n = new EnumMap<>(Operation.class);
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            n.merge(mix.pick(random.nextDouble()), 1, Integer::sum);
        }
        mix.asMap().forEach((op, p) -> assertThat(n.getOrDefault(op, 0) / (double) draws).as(op.name())
                .isCloseTo(p, within(0.01)));
        assertThat(new OperationMix(0.5, 0.5, 0, 0, 0).pick(0.9999999999)).isEqualTo(Operation.UPDATE);
    }

    @Test
    @DisplayName("the presets are YCSB's A-F mixes and distributions")
    void presets() {
        assertThat(Preset.A.mix().describe()).containsExactlyInAnyOrderEntriesOf(Map.of("READ", 0.5, "UPDATE", 0.5));
        assertThat(Preset.B.mix().describe()).containsExactlyInAnyOrderEntriesOf(Map.of("READ", 0.95, "UPDATE", 0.05));
        assertThat(Preset.C.mix().describe()).containsExactlyInAnyOrderEntriesOf(Map.of("READ", 1.0));
        assertThat(Preset.D.mix().describe()).containsExactlyInAnyOrderEntriesOf(Map.of("READ", 0.95, "INSERT", 0.05));
        assertThat(Preset.D.distribution()).isEqualTo(KeyDistribution.LATEST);
        assertThat(Preset.E.mix().describe()).containsExactlyInAnyOrderEntriesOf(Map.of("SCAN", 0.95, "INSERT", 0.05));
        assertThat(Preset.F.mix().describe())
                .containsExactlyInAnyOrderEntriesOf(Map.of("READ", 0.5, "READ_MODIFY_WRITE", 0.5));
        assertThat(Preset.parse("workloadb")).isEqualTo(Preset.B);
        assertThat(Preset.parse("f")).isEqualTo(Preset.F);
        assertThatThrownBy(() -> Preset.parse("G")).hasMessageContaining("A, B, C, D, E or F");
    }

    @Test
    @DisplayName("a mix that does not sum to 1, or a negative share, is refused")
    void badMixes() {
        assertThatThrownBy(() -> new OperationMix(0.5, 0.4, 0, 0, 0)).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> new OperationMix(1.5, -0.5, 0, 0, 0)).hasMessageContaining("[0, 1]");
    }

    @Test
    @DisplayName("value sizes: fixed or a uniform range, bounds kept, bad specs refused")
    void valueSizes() {
        assertThat(ValueSizes.parse("100").next(new SplittableRandom(1))).hasSize(100);
        ValueSizes range = ValueSizes.parse("10-20");
        SplittableRandom random = new SplittableRandom(2);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < 2000; i++) {
            int len = range.next(random).length;
            min = Math.min(min, len);
            max = Math.max(max, len);
        }
        assertThat(min).isEqualTo(10);
        assertThat(max).isEqualTo(20);
        assertThatThrownBy(() -> ValueSizes.parse("20-10")).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> ValueSizes.parse("0")).hasMessageContaining("1 <= min");
        assertThatThrownBy(() -> ValueSizes.parse("big")).hasMessageContaining("--value-bytes");
    }
}
