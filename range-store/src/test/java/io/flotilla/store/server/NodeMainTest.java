package io.flotilla.store.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's command line: flags, a config file under them, and clear errors with exit code 2. */
class NodeMainTest {
    @TempDir
    Path dir;
    private final StringWriter err = new StringWriter();
    private final List<NodeConfig> started = new ArrayList<>();

    private int run(String... args) {
        return NodeMain.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true), cfg -> {
            started.add(cfg);
            return 0;
        });
    }

    @Test
    void validFlagsBecomeTheNodesConfiguration() {
        int code = run("start", "--node-id=2", "--listen=127.0.0.1:7002", "--data-dir=" + dir,
                "--initial-cluster=1=127.0.0.1:7001,2=127.0.0.1:7002,3=127.0.0.1:7003", "--tick-ms=50",
                "--election-ticks=20");
        assertThat(code).as(err.toString()).isZero();
        NodeConfig c = started.get(0);
        assertThat(c.nodeId()).isEqualTo(2);
        assertThat(c.initialCluster().members()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(c.tickMillis()).isEqualTo(50);
        assertThat(c.electionTicks()).isEqualTo(20);
        assertThat(c.join()).isNull();
    }

    @Test
    void aConfigFileSuppliesTheSameKeysAndFlagsWin() throws Exception {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, String.join("\n", "node-id=4", "listen=127.0.0.1:7004", "data-dir=" + dir.resolve("d"),
                "join=127.0.0.1:7001", "tick-ms=200", "election-ticks=15"));
        int code = run("start", "--config", file.toString(), "--tick-ms=25");
        assertThat(code).as(err.toString()).isZero();
        NodeConfig c = started.get(0);
        assertThat(c.nodeId()).isEqualTo(4);
        assertThat(c.join()).isEqualTo("127.0.0.1:7001");
        assertThat(c.electionTicks()).as("from the file").isEqualTo(15);
        assertThat(c.tickMillis()).as("the flag wins").isEqualTo(25);
    }

    @Test
    void placementFlagsBecomeThePlacementOptionsAndDefaultToOn() {
        assertThat(run("start", "--node-id=1", "--listen=127.0.0.1:7001", "--data-dir=" + dir,
                "--join=127.0.0.1:7002")).as(err.toString()).isZero();
        assertThat(started.get(0).placement()).isEqualTo(PlacementOptions.defaults());

        assertThat(run("start", "--node-id=1", "--listen=127.0.0.1:7001", "--data-dir=" + dir, "--join=127.0.0.1:7002",
                "--no-placement", "--placement-interval-ms=250", "--suspect-after-ms=2000", "--dead-after-ms=5000", "--replace-after-ms=7000",
                "--max-operators-per-node=2", "--max-operators=6")).as(err.toString()).isZero();
        PlacementOptions p = started.get(1).placement();
        assertThat(p.enabled()).isFalse();
        assertThat(p.intervalMillis()).isEqualTo(250);
        assertThat(p.liveness().deadAfterMillis()).isEqualTo(5000);
        assertThat(p.config().replaceAfterMillis()).isEqualTo(7000);
        assertThat(p.limits().maxPerNode()).isEqualTo(2);
        assertThat(p.limits().maxClusterWide()).isEqualTo(6);
    }

    @Test
    void aDeadTimeoutShorterThanTheSuspectOneIsAUsageError() {
        assertThat(run("start", "--node-id=1", "--listen=127.0.0.1:7001", "--data-dir=" + dir, "--join=127.0.0.1:7002",
                "--suspect-after-ms=5000", "--dead-after-ms=1000")).isEqualTo(2);
        assertThat(err.toString()).contains("--dead-after-ms");
        assertThat(started).isEmpty();
    }

    @Test
    void badFlagsExitWithTwoAndSayWhatIsWrong() {
        assertThat(run("start", "--listen=127.0.0.1:1", "--data-dir=" + dir, "--join=127.0.0.1:2")).isEqualTo(2);
        assertThat(err.toString()).contains("--node-id");

        assertThat(run("start", "--node-id=1", "--listen=127.0.0.1:1", "--data-dir=" + dir)).isEqualTo(2);
        assertThat(err.toString()).contains("--initial-cluster").contains("--join");

        assertThat(run("start", "--node-id=1", "--listen=127.0.0.1:1", "--data-dir=" + dir,
                "--initial-cluster=1=127.0.0.1:1", "--join=127.0.0.1:2")).isEqualTo(2);

        assertThat(run("start", "--node-id=1", "--listen=127.0.0.1:1", "--data-dir=" + dir,
                "--initial-cluster=1=localhost")).isEqualTo(2);
        assertThat(err.toString()).contains("not host:port");

        assertThat(run("start", "--node-id=0", "--listen=127.0.0.1:1", "--data-dir=" + dir,
                "--join=127.0.0.1:2")).isEqualTo(2);
        assertThat(err.toString()).contains("node id must be between");

        assertThat(run("start", "--node-id=1", "--listen=nowhere", "--data-dir=" + dir, "--join=127.0.0.1:2"))
                .isEqualTo(2);
        assertThat(run("start", "--node-id=1", "--listen=127.0.0.1:1", "--data-dir=" + dir, "--join=127.0.0.1:2",
                "--tick-ms=0")).isEqualTo(2);
        assertThat(run("start", "--node-id=x", "--listen=127.0.0.1:1", "--data-dir=" + dir, "--join=127.0.0.1:2"))
                .isEqualTo(2);
        assertThat(run("start", "--bogus")).isEqualTo(2);
        assertThat(run()).as("no subcommand").isEqualTo(2);
        assertThat(started).as("no node started").isEmpty();
    }

    @Test
    void aConfigFileWithAnUnknownKeyOrNoFileIsRefused() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "node-id=1\nlisten-on=127.0.0.1:1\n");
        assertThat(run("start", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("listen-on");
        assertThat(run("start", "--config", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read the config file");
        assertThat(started).isEmpty();
    }

    @Test
    void aDataDirRefusedAtStartExitsWithTwo() {
        int code = NodeMain.execute(new String[] {"start", "--node-id=1", "--listen=127.0.0.1:1", "--data-dir=" + dir,
                "--join=127.0.0.1:2"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true), cfg -> {
                    throw new DataDirRefusedException("the data directory belongs to node 9, not node 1");
                });
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("belongs to node 9");
    }
}
