package io.flotilla.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's knobs: defaults, and settings that cannot work refused up front. */
class EngineConfigTest {
    @Test
    @DisplayName("defaults: a heartbeat every 2 ticks within a 10-tick election timeout, a 3-tick lease margin")
    void defaults() {
        EngineConfig c = EngineConfig.defaults(1);
        assertThat(c.electionTick()).isEqualTo(10);
        assertThat(c.heartbeatTick()).isEqualTo(2);
        assertThat(c.leaseSafetyMarginTicks()).isEqualTo(3);
    }

    @Test
    @DisplayName("a short election timeout brings the heartbeat interval and lease margin below it")
    void shortTimeoutShrinksTheRest() {
        EngineConfig c = EngineConfig.defaults(1).withElectionTick(2);
        assertThat(c.heartbeatTick()).isEqualTo(1);
        assertThat(c.leaseSafetyMarginTicks()).isEqualTo(1);
    }

    @Test
    @DisplayName("a heartbeat interval not below the election timeout, or a margin that leaves no lease, is refused")
    void impossibleSettingsRefused() {
        assertThatThrownBy(() -> EngineConfig.defaults(1).withHeartbeatTick(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatTick");
        assertThatThrownBy(() -> EngineConfig.defaults(1).withLeaseSafetyMarginTicks(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseSafetyMarginTicks");
        assertThatThrownBy(() -> EngineConfig.defaults(1).withLeaseSafetyMarginTicks(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
