package io.flotilla.bench.load;

import io.flotilla.bench.engine.ResultJson;
import io.flotilla.store.launch.ProcessCluster;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Runs {@code bench load} for real against three node processes on 127.0.0.1 at a small size and
 * checks what it writes: the JSON complete and consistent, the histogram log readable with the
 * same counts, the plot a well-formed SVG; and that bad input gets exit code 2 or 4.
 */
class LoadBenchmarkSmokeTest {
    @TempDir
    static Path dir;
    static ProcessCluster cluster;
    static String seeds;

    @BeforeAll
    static void startCluster() {
        System.setProperty("flotilla.node.classpath",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cluster = ProcessCluster.start(dir.resolve("nodes"), 3, 0, List.of(), "256m", Duration.ofSeconds(60));
        seeds = String.join(",", cluster.seeds());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return LoadBenchmark.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("workload A, open loop: the JSON, the .hlog and the .svg are complete and agree with each other")
    void openLoopWritesCompleteResults() throws Exception {
        Path out = dir.resolve("a/load.json");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = run(stdout, stderr, "--cluster=" + seeds, "--workload=A", "--threads=4", "--seconds=3",
                "--target=300", "--record-count=300", "--value-bytes=50-200", "--out=" + out);
        assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("[run").contains("ops/s").contains("READ").contains("UPDATE");

        ResultJson r = ResultJson.read(out);
        assertThat(r.at("benchmark")).isEqualTo("load");
        assertThat(r.at("params.workload")).isEqualTo("A");
        assertThat(r.at("params.mode")).isEqualTo("open");
        assertThat(r.num("params.targetOpsPerSecond")).isEqualTo(300);
        assertThat(r.obj("params.mix")).containsOnlyKeys("READ", "UPDATE");
        assertThat(r.bool("loadPhase.complete")).isTrue();
        assertThat(r.num("loadPhase.operations")).isEqualTo(300);
        assertThat(r.num("loadPhase.failed")).isZero();

        double ops = r.num("run.operations");
        assertThat(ops).isPositive();
        assertThat(r.num("run.failed")).isZero();
        // 3 s at 300 ops/s schedules 900 operations (one per thread may straddle the end). A
        // loaded machine may fall behind, but every scheduled operation is either done or
        // reported as never started: none is silently dropped.
        assertThat(ops + r.num("run.scheduledNotStarted")).isBetween(896.0, 904.0);
        assertThat(r.num("run.notFound")).as("every key read was loaded").isZero();
        double reads = r.num("run.byOperation.READ.count");
        double updates = r.num("run.byOperation.UPDATE.count");
        assertThat(reads + updates).isEqualTo(ops);
        assertThat(reads / ops).as("a 50/50 mix").isBetween(0.35, 0.65);
        for (String op : List.of("READ", "UPDATE")) {
            String p = "run.byOperation." + op + ".responseMillis.";
            assertThat(r.num(p + "p50")).isPositive();
            assertThat(r.num(p + "p90")).isGreaterThanOrEqualTo(r.num(p + "p50"));
            assertThat(r.num(p + "p99")).isGreaterThanOrEqualTo(r.num(p + "p90"));
            assertThat(r.num(p + "p999")).isGreaterThanOrEqualTo(r.num(p + "p99"));
            assertThat(r.num(p + "max")).isGreaterThanOrEqualTo(r.num(p + "p999") * 0.99);
            // Response time counts from the intended start, so it is never below the service time.
            assertThat(r.num(p + "max")).isGreaterThanOrEqualTo(
                    r.num("run.byOperation." + op + ".serviceMillis.max") * 0.99);
        }
        List<Object> timeline = r.list("run.timeline");
        assertThat(timeline).hasSizeBetween(3, 10);
        double sum = 0;
        double previous = 0;
        for (Object o : timeline) {
            ResultJson s = ResultJson.of(cast(o));
            assertThat(s.num("atSeconds")).isGreaterThan(previous);
            sum += s.num("opsPerSecond") * (s.num("atSeconds") - previous);
            previous = s.num("atSeconds");
        }
        assertThat(sum).as("the per-second series adds up to the total").isCloseTo(ops, within(2.0));

        Path hlog = Path.of((String) r.at("files.hlog"));
        assertThat(hlog.toString()).endsWith("load.hlog");
        Map<String, Long> counted = new HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                counted.merge(((Histogram) h).getTag(), ((Histogram) h).getTotalCount(), Long::sum);
            }
        }
        assertThat(counted).containsOnlyKeys("READ", "UPDATE");
        assertThat(counted.get("READ")).isEqualTo((long) reads);
        assertThat(counted.get("UPDATE")).isEqualTo((long) updates);

        Path svg = Path.of((String) r.at("files.plot"));
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).as("throughput, p50, p99, max").isEqualTo(4);
        String text = Files.readString(svg);
        assertThat(text).doesNotContain("<script").doesNotContain("http://www.w3.org/1999/xlink").contains("p99");
    }

    @Test
    @DisplayName("workloads E and F, closed loop: scans, inserts and compare-and-set all run and are reported")
    void scansInsertsAndCompareAndSet() throws Exception {
        for (String w : List.of("E", "F")) {
            Path out = dir.resolve(w + "/load.json");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = run(new ByteArrayOutputStream(), err, "--cluster=" + seeds, "--workload=" + w,
                    "--threads=3", "--seconds=1.5", "--record-count=200", "--value-bytes=32", "--max-scan-length=10",
                    "--progress=false", "--out=" + out);
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            ResultJson r = ResultJson.read(out);
            assertThat(r.at("params.mode")).isEqualTo("closed");
            assertThat(r.num("run.failed")).isZero();
            if (w.equals("E")) {
                assertThat(r.num("run.byOperation.SCAN.count")).isPositive();
                assertThat(r.num("run.byOperation.INSERT.count")).isPositive();
            } else {
                assertThat(r.num("run.byOperation.READ_MODIFY_WRITE.count")).isPositive();
                assertThat(r.num("run.byOperation.READ.count")).isPositive();
                // Conflicts are counted, not retried: every compare-and-set is either applied or a conflict.
                assertThat(r.num("run.casConflicts")).isLessThanOrEqualTo(r.num("run.byOperation.READ_MODIFY_WRITE.count"));
                assertThat(r.num("run.notFound")).isZero();
            }
        }
    }

    @Test
    @DisplayName("without --cluster it starts its own nodes, splits them into ranges, runs, and stops them")
    void startsItsOwnCluster() throws Exception {
        Path out = dir.resolve("own/load.json");
        Path nodes = dir.resolve("own-nodes");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(stdout, err, "--nodes=3", "--ranges=4", "--node-heap=256m", "--dir=" + nodes, "--workload=C",
                "--threads=2", "--seconds=1", "--record-count=100", "--value-bytes=16", "--progress=false",
                "--out=" + out);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("started 3 nodes").contains("4 ranges");
        ResultJson r = ResultJson.read(out);
        assertThat((String) r.at("params.cluster")).startsWith("started: 3 node processes");
        assertThat(((String) r.at("params.seeds")).split(",")).hasSize(3);
        assertThat(r.num("loadPhase.operations")).isEqualTo(100);
        assertThat(r.num("run.byOperation.READ.count")).isPositive();
        assertThat(r.num("run.notFound")).isZero();
        for (long id = 1; id <= 3; id++) {
            assertThat(nodes.resolve("node-" + id + ".log")).as("node " + id + " ran in --dir").exists();
        }
        try (var sockets = new java.net.Socket()) {
            String first = ((String) r.at("params.seeds")).split(",")[0];
            int port = Integer.parseInt(first.substring(first.indexOf(':') + 1));
            assertThatThrownBy(() -> sockets.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500))
                    .as("the nodes were stopped").isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    @DisplayName("bad input: unknown preset or negative threads exit 2, a cluster nobody answers at exits 4")
    void badInputGetsUsageOrUnavailable() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(new ByteArrayOutputStream(), err, "--workload=Z")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown workload 'Z'");
        err.reset();
        assertThat(run(new ByteArrayOutputStream(), err, "--threads=-4")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--threads");
        err.reset();
        assertThat(run(new ByteArrayOutputStream(), err, "--thread=4")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag --thread");
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        err.reset();
        long t0 = System.nanoTime();
        assertThat(run(new ByteArrayOutputStream(), err, "--cluster=127.0.0.1:" + deadPort, "--timeout=2",
                "--out=" + dir.resolve("dead.json"))).isEqualTo(4);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cluster unavailable");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
