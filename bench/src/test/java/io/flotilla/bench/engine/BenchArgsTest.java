package io.flotilla.bench.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchArgsTest {
    private static final Set<String> KNOWN = Set.of("groups", "quiescence", "compare");

    @Test
    @DisplayName("--key=value flags parse with defaults for absent keys; a bare --key is true")
    void parsesFlags() {
        BenchArgs a = BenchArgs.parse(new String[]{"--groups=100_000", "--quiescence=false", "--compare"}, KNOWN);
        assertThat(a.integer("groups", 1)).isEqualTo(100_000);
        assertThat(a.bool("quiescence", true)).isFalse();
        assertThat(a.bool("compare", false)).isTrue();
        assertThat(BenchArgs.parse(new String[0], KNOWN).integer("groups", 7)).isEqualTo(7);
    }

    @Test
    @DisplayName("a typo or a malformed value is refused, naming it, instead of silently running the default")
    void refusesUnknownOrMalformed() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"--grups=3"}, KNOWN))
                .hasMessageContaining("--grups");
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"groups=3"}, KNOWN))
                .hasMessageContaining("groups=3");
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"--groups=many"}, KNOWN).integer("groups", 1))
                .hasMessageContaining("many");
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"--quiescence=maybe"}, KNOWN).bool("quiescence", true))
                .hasMessageContaining("maybe");
    }
}
