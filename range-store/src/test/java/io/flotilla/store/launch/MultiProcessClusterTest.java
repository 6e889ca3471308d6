package io.flotilla.store.launch;

import io.flotilla.client.FlotillaClient;
import io.flotilla.client.KeyValue;
import io.flotilla.client.admin.AdminClient;
import io.flotilla.client.admin.ClusterHealth;
import io.flotilla.client.admin.RangeStatusInfo;
import io.flotilla.client.admin.SplitResult;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.store.cli.FlotillaCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real node processes on 127.0.0.1, driven through the client library, the admin API and
 * the CLI as a user would: writes and reads, a split, a leader transfer, a kill -9 under load
 * and a restart. The rule checked throughout: every acknowledged write is read back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessClusterTest {
    @TempDir
    static Path dir;
    static ProcessCluster cluster;
    static FlotillaClient client;
    /** Every write the cluster acknowledged, by key: what must be read back. */
    static final Map<String, String> acked = new TreeMap<>();

    @BeforeAll
    static void startCluster() {
        System.setProperty("flotilla.node.classpath",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cluster = ProcessCluster.start(dir, 3, 0, List.of(), "384m", Duration.ofSeconds(60));
        client = FlotillaClient.builder().seeds(cluster.seeds()).requestTimeout(Duration.ofSeconds(15))
                .attemptTimeout(Duration.ofSeconds(2)).build();
        Eventually.await("range 1 has a leader", Duration.ofSeconds(60), () -> allLed(client.admin()));
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void writesThroughTheClientAreReadBack() {
        writeKeys(0, 200);
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertThat(text(client.sync().get(bytes(e.getKey())))).contains(e.getValue());
        }
        List<KeyValue> page = client.sync().scan(bytes("key-00010"), bytes("key-00020"), 100);
        assertThat(page).hasSize(10);
    }

    @Test
    @Order(2)
    void aSplitAndALeaderTransferThroughTheAdminApi() {
        AdminClient admin = client.admin();
        SplitResult split = admin.split(bytes("key-00100"));
        assertThat(split.right().startKey()).isEqualTo(bytes("key-00100"));
        assertThat(split.left().endKey()).isEqualTo(bytes("key-00100"));
        Eventually.await("both halves led", Duration.ofSeconds(30), () -> allLed(admin) && admin.listRanges().size() == 2);

        RangeStatusInfo right = admin.listRanges().stream()
                .filter(r -> r.range().rangeId() == split.right().rangeId()).findFirst().orElseThrow();
        long target = right.range().replicas().stream().mapToLong(r -> r.nodeId())
                .filter(n -> n != right.leaderNodeId()).findFirst().orElseThrow();
        assertThat(admin.transferLeader(right.range().rangeId(), target).leaderNodeId()).isEqualTo(target);
        Eventually.await("the transfer shows in ListRanges", Duration.ofSeconds(10), () -> admin.listRanges().stream()
                .anyMatch(r -> r.range().rangeId() == right.range().rangeId() && r.leaderNodeId() == target));
        // Writes on both sides of the split still land.
        writeKeys(200, 260);
        assertThat(client.sync().scan(bytes("key-00095"), bytes("key-00105"), 100)).hasSize(10);
    }

    @Test
    @Order(3)
    void theCliTalksToTheClusterWithScriptableExitCodes() {
        String seeds = String.join(",", cluster.seeds());
        assertThat(FlotillaCli.run("kv", "put", "cli-key", "cli-value", "--cluster", seeds)).isZero();
        acked.put("cli-key", "cli-value");
        assertThat(FlotillaCli.run("kv", "get", "cli-key", "--cluster", seeds)).isZero();
        assertThat(FlotillaCli.run("kv", "get", "no-such-key", "--cluster", seeds)).isEqualTo(3);
        assertThat(FlotillaCli.run("admin", "ranges", "--json", "--cluster", seeds)).isZero();
        assertThat(FlotillaCli.run("admin", "split", "key-00100", "--cluster", seeds))
                .as("a key that is already a range boundary is not strictly inside a range").isEqualTo(2);
        assertThat(FlotillaCli.run("admin", "transfer-leader", "987654", "1", "--cluster", seeds))
                .as("an unknown range").isEqualTo(3);
    }

    @Test
    @Order(4)
    void killingOneNodeLeavesAQuorumServingReadsAndWrites() {
        long victim = leaderOf(client.admin(), 1);
        cluster.kill(victim);
        writeKeys(260, 400);
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertThat(text(client.sync().get(bytes(e.getKey())))).as(e.getKey()).contains(e.getValue());
        }

        cluster.restart(victim, Duration.ofSeconds(60));
        writeKeys(400, 450);
        Eventually.await("the restarted node caught up", Duration.ofSeconds(60), () -> {
            ClusterHealth h = client.admin().clusterHealth();
            return h.healthy() && h.nodesDown() == 0;
        });

        // With another node gone, the restarted one is needed for every quorum: every
        // acknowledged write must be on it.
        long other = cluster.addresses().keySet().stream().filter(n -> n != victim).findFirst().orElseThrow();
        cluster.kill(other);
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertThat(text(client.sync().get(bytes(e.getKey())))).as(e.getKey()).contains(e.getValue());
        }
        cluster.restart(other, Duration.ofSeconds(60));
    }

    private static void writeKeys(int from, int to) {
        for (int i = from; i < to; i++) {
            String k = String.format("key-%05d", i);
            String v = "value-" + i;
            client.sync().put(bytes(k), bytes(v));
            acked.put(k, v);
        }
    }

    private static long leaderOf(AdminClient admin, long rangeId) {
        return admin.listRanges().stream().filter(r -> r.range().rangeId() == rangeId).findFirst()
                .map(RangeStatusInfo::leaderNodeId).orElseThrow();
    }

    private static boolean allLed(AdminClient admin) {
        try {
            List<RangeStatusInfo> rs = admin.listRanges();
            return !rs.isEmpty() && rs.stream().allMatch(r -> r.leaderNodeId() != 0);
        } catch (FlotillaException e) {
            return false;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> text(Optional<byte[]> v) {
        return v.map(b -> new String(b, StandardCharsets.UTF_8));
    }
}
