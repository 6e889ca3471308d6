package io.flotilla.bench.core;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniJsonTest {

    @Test
    @DisplayName("parses every JSON value kind, escapes included")
    void parsesAllKinds() {
        Object v = MiniJson.parse(" { \"a\" : [1, -2.5e3, true, false, null], \"s\" : \"q\\\"\\\\\\n\\u00e9\", \"o\" : {} } ");

        Map<String, Object> m = JmhSummaryTest.obj(v);
        assertThat(JmhSummaryTest.arr(m.get("a"))).containsExactly(1.0, -2500.0, true, false, null);
        assertThat(m.get("s")).isEqualTo("q\"\\\n\u00e9");
        assertThat(JmhSummaryTest.obj(m.get("o"))).isEmpty();
    }

    @Test
    @DisplayName("what write() produces parses back to the same tree; non-finite numbers become null")
    void writeThenParseRoundTrips() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", "tab\there \"quoted\"");
        tree.put("whole", 3.0);
        tree.put("fraction", 0.125);
        tree.put("tiny", 1.5e-7);
        tree.put("count", 7);
        tree.put("list", List.of(1.0, "x", false));
        tree.put("none", null);
        tree.put("nan", Double.NaN);

        String json = MiniJson.write(tree);
        Map<String, Object> back = JmhSummaryTest.obj(MiniJson.parse(json));

        assertThat(json).contains("\"whole\": 3,").contains("\"nan\": null");
        assertThat(back.get("name")).isEqualTo(tree.get("name"));
        assertThat(back.get("fraction")).isEqualTo(0.125);
        assertThat(back.get("tiny")).isEqualTo(1.5e-7);
        assertThat(back.get("count")).isEqualTo(7.0);
        assertThat(JmhSummaryTest.arr(back.get("list"))).containsExactly(1.0, "x", false);
        assertThat(back.containsKey("none")).isTrue();
        assertThat(back.get("nan")).isNull();
    }

    @Test
    @DisplayName("malformed documents are refused with the offset of the problem")
    void rejectsMalformedInput() {
        for (String bad : Arrays.asList("", "{", "[1,]", "{\"a\" 1}", "\"open", "tru", "[1] 2", "{1: 2}")) {
            assertThatThrownBy(() -> MiniJson.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
        }
    }
}
