package io.flotilla.bench.core;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The summary of a small JMH result file (trimmed from a real run, plus a foreign benchmark). */
class JmhSummaryTest {
    private static final List<String> RESULT_KEYS = List.of("benchmark", "mode", "params", "score", "error", "unit",
            "allocNorm", "allocNormError", "allocNormUnit", "measures", "forks", "warmup", "measurement");

    private static String sample() throws IOException {
        try (InputStream in = JmhSummaryTest.class.getResourceAsStream("/sample-jmh-result.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @DisplayName("every result becomes a row with its score, error, unit, params and allocation per op")
    void rowsCarryEveryFigure() throws IOException {
        List<JmhSummary.Row> rows = JmhSummary.rows(MiniJson.parse(sample()));

        assertThat(rows).extracting(JmhSummary.Row::benchmark).containsExactly(
                "ProposalThroughputBenchmark.proposeBatch", "StepBenchmark.append", "com.example.OtherBenchmark.run");
        JmhSummary.Row thrpt = rows.get(0);
        assertThat(thrpt.mode()).isEqualTo("thrpt");
        assertThat(thrpt.params()).containsExactly(Map.entry("entryBytes", "16"));
        assertThat(thrpt.score()).isEqualTo(822367.6880149118);
        assertThat(thrpt.error()).isEqualTo(5790283.4528847905);
        assertThat(thrpt.unit()).isEqualTo("ops/s");
        assertThat(thrpt.allocNorm()).isEqualTo(296.05907708485006);
        assertThat(thrpt.allocNormUnit()).isEqualTo("B/op");
        assertThat(thrpt.measures()).as("taken from @Measures").contains("committed and applied on all 3");
        assertThat(thrpt.forks()).isEqualTo(1);
        assertThat(thrpt.warmup()).isEqualTo("2 x 1 s");
        assertThat(thrpt.measurement()).isEqualTo("3 x 1 s");

        JmhSummary.Row foreign = rows.get(2);
        assertThat(foreign.error()).as("JMH's \"NaN\" error is no figure").isNull();
        assertThat(foreign.allocNorm()).as("no -prof gc").isNull();
        assertThat(foreign.measures()).isNull();
        assertThat(foreign.params()).isEmpty();
    }

    @Test
    @DisplayName("the summary JSON is well-formed, complete for every result, and has no NaN")
    void summaryIsCompleteAndWellFormed() throws IOException {
        Object jmh = MiniJson.parse(sample());
        String json = MiniJson.write(JmhSummary.summary(JmhSummary.rows(jmh), JmhSummary.firstRunInfo(jmh),
                Map.of("source", "sample-jmh-result.json")));

        assertThat(json).doesNotContain("NaN");
        Map<String, Object> doc = obj(MiniJson.parse(json));
        assertThat(doc.get("jmhVersion")).isEqualTo("1.37");
        assertThat(doc.get("jdkVersion")).isEqualTo("17.0.15");
        assertThat(doc.get("source")).isEqualTo("sample-jmh-result.json");
        List<Object> results = arr(doc.get("results"));
        assertThat(results).hasSize(3);
        for (Object o : results) {
            assertThat(obj(o)).containsOnlyKeys(RESULT_KEYS);
        }
        Map<String, Object> step = obj(results.get(1));
        assertThat(step.get("benchmark")).isEqualTo("StepBenchmark.append");
        assertThat(step.get("unit")).isEqualTo("ns/op");
        assertThat((Double) step.get("score")).isEqualTo(2279.926, org.assertj.core.data.Offset.offset(0.001));
        assertThat((Double) step.get("allocNorm")).isEqualTo(1008.933, org.assertj.core.data.Offset.offset(0.001));
        assertThat(obj(results.get(2)).get("error")).isNull();
    }

    @Test
    @DisplayName("the table shows each figure with its unit and says what one op is")
    void tableShowsUnits() throws IOException {
        String table = JmhSummary.table(JmhSummary.rows(MiniJson.parse(sample())));

        assertThat(table).contains("Benchmark", "Unit", "Alloc unit");
        assertThat(table).containsPattern("ProposalThroughputBenchmark\\.proposeBatch +entryBytes=16 +822,368 +± 5,790,283 +ops/s +296\\.1 +B/op");
        assertThat(table).containsPattern("StepBenchmark\\.append .* ns/op .*B/op");
        assertThat(table).containsPattern("com\\.example\\.OtherBenchmark\\.run +- +42\\.5 +n/a +us/op +n/a +\\(no -prof gc\\)");
        assertThat(table).contains("ProposalThroughputBenchmark.proposeBatch: one op = one 16-byte entry");
        assertThat(table).contains("com.example.OtherBenchmark.run: one op = (not described)");
        assertThat(table).contains("run: 1 fork(s), warmup 2 x 1 s, measurement 3 x 1 s");
    }

    @Test
    @DisplayName("main() writes the summary file and fails on a file that is not a JMH result")
    void mainWritesTheSummaryFile(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("jmh.json");
        Path out = dir.resolve("core.json");
        Files.writeString(in, sample());

        JmhSummary.main(new String[] {in.toString(), out.toString()});

        Map<String, Object> doc = obj(MiniJson.parse(Files.readString(out)));
        assertThat(doc).containsKeys("generated", "cpus", "jmhVersion", "results");
        assertThat(arr(doc.get("results"))).hasSize(3);
        assertThatThrownBy(() -> JmhSummary.rows(MiniJson.parse("{\"benchmark\": 1}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON array");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> arr(Object o) {
        return (List<Object>) o;
    }
}
