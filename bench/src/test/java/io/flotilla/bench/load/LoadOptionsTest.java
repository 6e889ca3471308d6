package io.flotilla.bench.load;

import io.flotilla.bench.load.keys.KeyDistribution;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {
    @Test
    @DisplayName("defaults: workload A, 32 threads, 30 s closed loop, a cluster started here, files beside the JSON")
    void defaults() {
        LoadOptions o = LoadOptions.parse(new String[0]);
        assertThat(o.clusterOrNull()).isNull();
        assertThat(o.spec().name()).isEqualTo("A");
        assertThat(o.spec().distribution()).isEqualTo(KeyDistribution.ZIPFIAN);
        assertThat(o.threads()).isEqualTo(32);
        assertThat(o.seconds()).isEqualTo(30);
        assertThat(o.target()).isZero();
        assertThat(o.out()).isEqualTo(Path.of("bench/results/load.json"));
        assertThat(o.hlog()).isEqualTo(Path.of("bench/results/load.hlog"));
        assertThat(o.plot()).isEqualTo(Path.of("bench/results/load.svg"));
    }

    @Test
    @DisplayName("--flag value works like --flag=value (as in the kv and admin commands); bare switches stay switches")
    void spacedValues() {
        LoadOptions o = LoadOptions.parse(new String[]{"--cluster", "127.0.0.1:7001,127.0.0.1:7002", "--workload", "d",
                "--load", "--threads", "8", "--progress=false"});
        assertThat(o.clusterOrNull()).containsExactly("127.0.0.1:7001", "127.0.0.1:7002");
        assertThat(o.spec().name()).isEqualTo("D");
        assertThat(o.spec().distribution()).isEqualTo(KeyDistribution.LATEST);
        assertThat(o.load()).isTrue();
        assertThat(o.threads()).isEqualTo(8);
        assertThat(o.progress()).isFalse();
    }

    @Test
    @DisplayName("a custom mix replaces the preset's; bad values name their flag")
    void customMixAndBadValues() {
        LoadOptions o = LoadOptions.parse(new String[]{"--read=0.7", "--scan=0.2", "--rmw=0.1",
                "--distribution=uniform"});
        assertThat(o.spec().name()).isEqualTo("custom");
        assertThat(o.spec().mix().describe()).containsOnlyKeys("READ", "SCAN", "READ_MODIFY_WRITE");
        assertThat(o.spec().distribution()).isEqualTo(KeyDistribution.UNIFORM);
        for (List<String> bad : List.of(List.of("--threads=0", "--threads"), List.of("--seconds=-1", "--seconds"),
                List.of("--target=-5", "--target"), List.of("--cluster=nohost", "HOST:PORT"),
                List.of("--record-count=0", "--record-count"), List.of("--key-order=random", "--key-order"),
                List.of("--read=0.5", "sum to 1"))) {
            assertThatThrownBy(() -> LoadOptions.parse(new String[]{bad.get(0)})).as(bad.get(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.get(1));
        }
    }
}
