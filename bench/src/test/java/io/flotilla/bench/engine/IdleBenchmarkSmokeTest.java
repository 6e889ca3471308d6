package io.flotilla.bench.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the idle tool for real at a small size (60 groups, 20 ms ticks, a 1 s window) and checks
 * its result file: every field present, numbers sane, and the figures tell quiesced groups from
 * awake ones. A benchmark runs on wall time by nature; the sizes keep each run to a few seconds.
 */
class IdleBenchmarkSmokeTest {
    @TempDir
    Path dir;

    private ResultJson run(boolean quiescence) throws Exception {
        Path out = dir.resolve("idle-" + quiescence + ".json");
        IdleBenchmark.main(new String[]{"--groups=60", "--seconds=1", "--settle-seconds=0", "--tick-ms=20", "--histogram=5",
                "--quiescence=" + quiescence, "--setup-seconds=60", "--out=" + out});
        return ResultJson.read(out);
    }

    private static void checkCommonFields(ResultJson r, boolean quiescence) {
        assertThat(r.at("benchmark")).isEqualTo("idle");
        assertThat(r.num("params.groups")).isEqualTo(60);
        assertThat(r.bool("params.quiescence")).isEqualTo(quiescence);
        assertThat(r.bool("setup.allLed")).isTrue();
        double led = r.obj("setup.leadersPerNode").values().stream().mapToDouble(v -> (Double) v).sum();
        assertThat(led).as("groups led, summed over nodes").isEqualTo(60);
        assertThat(r.num("cpu.wallSeconds")).isBetween(0.9, 30.0);
        assertThat(r.num("cpu.processCpuPercentOfOneCore")).isBetween(0.0, 100.0 * Runtime.getRuntime()
                .availableProcessors() + 1);
        assertThat(r.num("cpu.processCpuPercentOfOneCorePerNode"))
                .isEqualTo(r.num("cpu.processCpuPercentOfOneCore") / 3, org.assertj.core.api.Assertions.within(1e-9));
        if (java.nio.file.Files.isDirectory(Path.of("/proc/self/task"))) {
            assertThat(r.num("cpu.jitCompilerCpuPercentOfOneCore")).isNotNegative();
            assertThat(r.num("cpu.processCpuPercentOfOneCorePerNodeExcludingJit"))
                    .isLessThanOrEqualTo(r.num("cpu.processCpuPercentOfOneCorePerNode") + 1e-9);
            assertThat(r.list("cpu.topThreadsByName")).isNotEmpty();
        }
        assertThat(r.num("heap.usedAfterBytes")).isPositive();
        assertThat(r.num("heap.bytesPerReplica")).as("groups cost heap").isPositive();
        List<Object> top = r.list("heap.topGrowthByClass");
        assertThat(top).hasSize(5);
        assertThat(((Map<?, ?>) top.get(0)).get("class")).isInstanceOf(String.class);
        assertThat(r.obj("traffic.envelopesPerSecondByDirectedPair")).as("3 nodes, 6 directed pairs").hasSize(6);
        assertThat(r.obj("traffic.envelopesPerTickByUnorderedPair")).as("3 unordered pairs").hasSize(3);
        // Every node pings every peer once a tick, so each pair sees traffic; a few wakes or a
        // late tick may add some, but nothing near one envelope per group.
        assertThat(r.num("traffic.maxEnvelopesPerTickUnorderedPair")).isGreaterThan(0.5).isLessThan(6.0);
        assertThat(r.num("engine.replicas")).isEqualTo(180);
        assertThat(r.num("engine.awakeReplicasAtEnd") + r.num("engine.quiescedReplicasAtEnd")).isEqualTo(180);
        for (String t : List.of("cpuPercentOfOneCorePerNode", "heapBytesPerReplica", "envelopesPerTickPerUnorderedPair")) {
            assertThat(r.obj("targets." + t)).containsKeys("value", "atMost", "met", "note");
        }
        assertThat(r.at("hostAtStart.loadAverage")).isInstanceOf(String.class);
        assertThat(r.at("hostAtEnd.loadAverage")).isInstanceOf(String.class);
    }

    @Test
    @DisplayName("quiesced: every replica quiesces, no group ticks in the window, heartbeats stop")
    void quiescedRunIsCompleteAndShowsNoGroupTicks() throws Exception {
        ResultJson r = run(true);
        checkCommonFields(r, true);
        assertThat(r.bool("setup.allQuiesced")).isTrue();
        assertThat(r.num("setup.quiesceMillis")).isNotNegative();
        assertThat(r.num("setup.countersAfterSetup.electionsWon")).isGreaterThanOrEqualTo(60);
        // A replica woken in the window (and its few ticks) is possible but must be rare.
        assertThat(r.num("engine.groupTicksPerSecond")).as("group ticks/s with every group quiesced")
                .isLessThan(180 * 50 / 10.0);
    }

    @Test
    @DisplayName("awake: every replica ticks every tick and leaders send coalesced heartbeats")
    void awakeRunIsCompleteAndShowsTicksAndHeartbeats() throws Exception {
        ResultJson r = run(false);
        checkCommonFields(r, false);
        assertThat(r.obj("setup")).doesNotContainKey("quiesceMillis");
        assertThat(r.num("engine.quiescedReplicasAtEnd")).isZero();
        // 180 replicas at 50 ticks/s; a loaded machine may drop some (tick debt is capped).
        assertThat(r.num("engine.groupTicksPerSecond")).isGreaterThan(180 * 50 / 4.0);
        assertThat(r.num("traffic.heartbeatItemsPerSecondPerDirectedPair")).isPositive();
    }
}
