package io.flotilla.bench.store;

import io.flotilla.bench.engine.ResultJson;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the write tool for real (3 StoreNodes on RocksDB in a temporary directory) at a small size
 * and checks its result file: complete, latencies ordered, every write succeeded, syncs batched,
 * and every split applied on every node.
 */
class WriteBenchmarkSmokeTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a short run writes, syncs, splits, and reports every figure")
    void shortRunIsCompleteAndConsistent() throws Exception {
        Path out = dir.resolve("writes.json");
        Path data = dir.resolve("data");
        WriteBenchmark.main(new String[]{"--threads=4", "--seconds=1", "--warmup-seconds=0", "--ranges=6",
                "--splits=3", "--tick-ms=20", "--dir=" + data, "--out=" + out});
        ResultJson r = ResultJson.read(out);
        assertThat(r.at("benchmark")).isEqualTo("writes");
        assertThat(r.num("params.ranges")).isEqualTo(6);
        double led = r.obj("setup.leadersPerNode").values().stream().mapToDouble(v -> (Double) v).sum();
        assertThat(led).as("every range led once").isEqualTo(6);

        double writes = r.num("load.writes");
        assertThat(writes).isPositive();
        assertThat(r.num("load.writesPerSecond")).isEqualTo(writes / r.num("load.seconds"),
                org.assertj.core.api.Assertions.within(1e-6));
        double p50 = r.num("load.latencyMillis.p50");
        assertThat(p50).isPositive();
        assertThat(r.num("load.latencyMillis.p90")).isGreaterThanOrEqualTo(p50);
        assertThat(r.num("load.latencyMillis.p99")).isGreaterThanOrEqualTo(r.num("load.latencyMillis.p90"));
        assertThat(r.num("load.latencyMillis.p999")).isGreaterThanOrEqualTo(r.num("load.latencyMillis.p99"));
        // HdrHistogram reports a bucket's upper edge for percentiles, so p99.9 may pass max by a bucket.
        assertThat(r.num("load.latencyMillis.max")).isGreaterThanOrEqualTo(r.num("load.latencyMillis.p999") * 0.99);
        assertThat(r.num("load.failedWrites")).isZero();
        assertThat(r.at("load.firstError")).isNull();

        assertThat(r.num("raft.syncsPerSecondPerNode")).isPositive();
        // Each node persists every write; a sync may carry several, never less than one per sync on average.
        assertThat(r.num("raft.writesPerSyncPerNode")).isPositive();
        assertThat(r.obj("raft.syncsPerSecondByNode")).hasSize(3);
        assertThat(r.num("cpu.processCpuPercentOfOneCore")).isPositive();
        assertThat(r.num("cpu.clientCpuPercentOfOneCore")).isPositive();

        assertThat(r.num("splits.requested")).isEqualTo(3);
        assertThat(r.num("splits.completed")).isEqualTo(3);
        assertThat(r.num("splits.appliedMillis.count")).isEqualTo(3);
        assertThat(r.num("splits.appliedMillis.p50")).isPositive()
                .isLessThanOrEqualTo(r.num("splits.appliedMillis.p99"));
        assertThat(r.num("splits.appliedMillis.max")).isEqualTo(r.num("splits.appliedMillis.p99"));
        assertThat(r.num("splits.childLedMillis.count")).as("every child range got a leader").isEqualTo(3);
        assertThat(r.obj("splits.rangesPerNodeAfter").values()).as("6 ranges + 3 splits on every node")
                .containsOnly(9.0);
        for (String t : List.of("writesPerSecondAtLeast250k", "p99AtMost10ms", "splitP99AtMost50ms")) {
            r.bool("targets." + t);
        }
        assertThat(Files.exists(data)).as("a data dir given by --dir is kept").isTrue();
    }

    @Test
    @DisplayName("the load is bounded by --max-ops: it stops after that many writes, long before --seconds")
    void loadStopsAtMaxOps() throws Exception {
        Path out = dir.resolve("writes-max.json");
        WriteBenchmark.main(new String[]{"--threads=3", "--seconds=120", "--warmup-seconds=0", "--max-ops=40",
                "--ranges=3", "--splits=0", "--tick-ms=20", "--out=" + out});
        ResultJson r = ResultJson.read(out);
        // Each client finishes the write it has in flight: at most threads - 1 beyond the bound.
        assertThat(r.num("load.writes")).isBetween(40.0, 42.0);
        assertThat(r.num("load.seconds")).isLessThan(60);
        assertThat(r.num("splits.completed")).isZero();
        assertThat(r.at("splits.appliedMillis.p99")).isNull();
        assertThat(r.bool("targets.splitP99AtMost50ms")).isFalse();
    }
}
