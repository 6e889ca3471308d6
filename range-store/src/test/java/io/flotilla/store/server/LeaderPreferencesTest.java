package io.flotilla.store.server;

import io.flotilla.placement.cluster.LeaderPreference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Leader preferences and node labels as nodes record and report them. */
class LeaderPreferencesTest {
    @TempDir
    Path dir;

    @Test
    void aPreferenceNamesANodeOrALabel() {
        assertThat(LeaderPreferences.parse("node:3")).isEqualTo(LeaderPreference.onNode(3));
        assertThat(LeaderPreferences.parse(LeaderPreferences.onLabel("zone=eu-1")))
                .isEqualTo(LeaderPreference.onLabel("zone", "eu-1"));
    }

    @Test
    void aMalformedPreferenceIsRefusedSayingWhy() {
        assertThatThrownBy(() -> LeaderPreferences.parse("node:three")).hasMessageContaining("node id");
        assertThatThrownBy(() -> LeaderPreferences.onLabel("zone")).hasMessageContaining("key=value");
        assertThatThrownBy(() -> LeaderPreferences.parse("rack:1")).hasMessageContaining("neither");
    }

    @Test
    void preferencesSurviveARestartAndClearingRemovesOne() {
        NodeDecisions d = new NodeDecisions(new DataDir(dir));
        d.setPreference(0, "label:zone=a");
        d.setPreference(42, "node:2");
        d.setPreference(43, "node:3");
        d.setPreference(43, null);
        assertThat(new NodeDecisions(new DataDir(dir)).preferences())
                .isEqualTo(Map.of(0L, "label:zone=a", 42L, "node:2"));
    }

    @Test
    void labelsParseFromTheFlagAndARepeatedKeyIsRefused() {
        assertThat(PlacementOptions.parseLabels("zone=eu-1, rack=r7")).isEqualTo(Map.of("zone", "eu-1", "rack", "r7"));
        assertThat(PlacementOptions.parseLabels(null)).isEmpty();
        assertThatThrownBy(() -> PlacementOptions.parseLabels("zone=a,zone=b")).hasMessageContaining("zone=b");
        assertThatThrownBy(() -> PlacementOptions.parseLabels("=a")).isInstanceOf(IllegalArgumentException.class);
    }
}
