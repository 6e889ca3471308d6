package io.flotilla.bench.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the storm tool for real at small sizes with 20 ms ticks (so the 10-tick liveness timeout
 * is 200 ms) and checks its result: complete, and consistent with what a storm must do — every
 * affected group led again, each with a higher term (Raft §5.2: a new leader needs a new term),
 * and percentiles in order.
 */
class StormBenchmarkSmokeTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static void checkTrial(Map<String, Object> trial, int groups) {
        ResultJson t = ResultJson.of(trial);
        assertThat(t.num("params.groups")).isEqualTo(groups);
        assertThat(t.num("groupsWithoutLeaderAtKill")).isZero();
        Map<String, Object> leaders = t.obj("leadersPerNodeBefore");
        double killed = t.num("killedNode");
        double affected = t.num("recovery.affectedGroups");
        assertThat(affected).as("affected = groups the killed node led")
                .isEqualTo((Double) leaders.get(String.valueOf((long) killed)));
        assertThat(affected).isPositive();
        assertThat(t.num("recovery.recoveredGroups")).as("recovered = affected").isEqualTo(affected);
        assertThat(t.num("healthy.healthyGroups")).isEqualTo(groups - affected);
        assertThat(t.num("healthy.disturbedGroups")).isBetween(0.0, groups - affected);
        double p50 = t.num("recovery.p50Millis");
        double p99 = t.num("recovery.p99Millis");
        double max = t.num("recovery.maxMillis");
        assertThat(t.num("recovery.minMillis")).isPositive().isLessThanOrEqualTo(p50);
        assertThat(p50).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        assertThat(t.num("recovery.allRecoveredMillis")).isGreaterThanOrEqualTo(max);
        assertThat(t.num("recovery.maxPollGapMillis")).isPositive();
        assertThat(t.num("elections.electionsNeeded")).isEqualTo(affected);
        assertThat(t.num("elections.electionsStartedDuringRecovery")).as("each recovered group held an election")
                .isGreaterThanOrEqualTo(affected);
        assertThat(t.num("elections.termIncrementsAffected")).as("each new leader has a higher term")
                .isGreaterThanOrEqualTo(affected);
        assertThat(t.num("elections.termIncrementsHealthy")).isNotNegative();
        assertThat(t.num("recoveryTraffic.envelopes")).isPositive();
        assertThat(t.num("recoveryTraffic.raftMessages")).as("votes were exchanged").isPositive();
        assertThat(t.num("recoveryTraffic.approxBytes")).isPositive();
        assertThat(t.obj("targets")).containsOnlyKeys("everyAffectedLedWithin3s", "p50AtMost2s",
                "noHealthyGroupDisturbed");
        assertThat(t.bool("targets.everyAffectedLedWithin3s")).isEqualTo(max <= 3000);
        assertThat(t.list("timelineColumns")).hasSize(5);
        List<Object> timeline = t.list("timeline");
        assertThat(timeline).as("sampled from the kill on").isNotEmpty();
        for (Object row : timeline) {
            assertThat((List<Object>) row).hasSize(5);
        }
    }

    @Test
    @DisplayName("one storm: every group the killed node led is led again, with a higher term")
    void oneStormRecoversEveryAffectedGroup() throws Exception {
        Path out = dir.resolve("storm.json");
        StormBenchmark.main(new String[]{"--groups=90", "--tick-ms=20", "--settle-seconds=1", "--recovery-seconds=30",
                "--setup-seconds=60", "--out=" + out});
        ResultJson r = ResultJson.read(out);
        assertThat(r.at("benchmark")).isEqualTo("storm");
        List<Object> trials = r.list("trials");
        assertThat(trials).hasSize(1);
        checkTrial(cast(trials.get(0)), 90);
    }

    @Test
    @DisplayName("a storm on quiesced groups of 3 replicas over 5 nodes recovers every affected group")
    void quiescedStormRecovers() throws Exception {
        Path out = dir.resolve("storm-q.json");
        StormBenchmark.main(new String[]{"--groups=60", "--nodes=5", "--tick-ms=20", "--quiesce-first=true",
                "--settle-seconds=1", "--setup-seconds=60", "--out=" + out});
        ResultJson r = ResultJson.read(out);
        Map<String, Object> trial = cast(r.list("trials").get(0));
        checkTrial(trial, 60);
        assertThat(ResultJson.of(trial).bool("params.quiesceFirst")).isTrue();
        assertThat(ResultJson.of(trial).num("params.nodes")).isEqualTo(5);
    }

    @Test
    @DisplayName("--compare runs all 8 combinations of pre-vote, coalescing and staggering into one file")
    void compareRunsTheWholeMatrix() throws Exception {
        Path out = dir.resolve("storm-compare.json");
        StormBenchmark.main(new String[]{"--compare", "--groups=30", "--tick-ms=20", "--settle-seconds=0",
                "--setup-seconds=60", "--out=" + out});
        ResultJson r = ResultJson.read(out);
        assertThat(r.at("benchmark")).isEqualTo("storm-compare");
        List<Object> trials = r.list("trials");
        assertThat(trials).hasSize(8);
        Set<String> combos = new HashSet<>();
        for (Object o : trials) {
            Map<String, Object> trial = cast(o);
            checkTrial(trial, 30);
            ResultJson t = ResultJson.of(trial);
            combos.add(t.bool("params.preVote") + "/" + t.bool("params.coalesce") + "/"
                    + (long) t.num("params.campaignStaggerTicks"));
        }
        assertThat(combos).containsExactlyInAnyOrder("true/true/5", "true/true/0", "true/false/5", "true/false/0",
                "false/true/5", "false/true/0", "false/false/5", "false/false/0");
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
