package io.flotilla.store.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's contract with scripts: exit codes and one-line errors, without a cluster. */
class FlotillaCliTest {

    @Test
    void anUnknownCommandIsAUsageError() {
        Captured c = capture("frobnicate");
        assertThat(c.code).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err).contains("frobnicate");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        assertThat(capture("kv", "put", "only-a-key").code).isEqualTo(ExitCodes.USAGE);
        assertThat(capture("admin", "transfer-leader", "not-a-number", "2").code).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void badHexIsAUsageErrorNamingTheArgument() {
        Captured c = capture("kv", "get", "--hex", "zz", "--cluster", "127.0.0.1:1", "--timeout", "1");
        assertThat(c.code).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err).contains("KEY is not hex");
    }

    @Test
    void aClusterThatDoesNotAnswerExitsWithUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Captured c = capture("kv", "get", "k", "--cluster", "127.0.0.1:" + closedPort, "--timeout", "1");
        assertThat(c.code).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(c.err).startsWith("flotilla: ").doesNotContain("\tat ");
    }

    @Test
    void helpListsEveryKvAndAdminCommand() {
        assertThat(capture("kv", "--help").out).contains("put", "get", "delete", "scan");
        assertThat(capture("admin", "--help").out).contains("split", "transfer-leader", "add-replica",
                "remove-replica", "move-replica", "ranges", "nodes", "health", "rebalance-leaders",
                "rebalance-replicas", "operators", "placement", "decommission");
    }

    @Test
    void placementTakesOnlyPauseOrResume() {
        Captured c = capture("admin", "placement", "stop", "--cluster", "127.0.0.1:1", "--timeout", "1");
        assertThat(c.code).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err).contains("pause or resume");
        assertThat(capture("admin", "decommission", "node-two").code).isEqualTo(ExitCodes.USAGE);
        assertThat(capture("admin", "operators", "--cancel", "x").code).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void jsonEscapesWhatWouldBreakIt() {
        assertThat(Json.write(Map.of("k", "a\"b\\c\n"))).isEqualTo("{\"k\":\"a\\\"b\\\\c\\n\"}");
        assertThat(Json.write(List.of(1, true, Double.NaN))).isEqualTo("[1,true,null]");
    }

    @Test
    void tablesPadColumnsToTheWidestCell() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new Table("A", "LONGER").row("wide-cell", 1).print(new PrintStream(b, true, StandardCharsets.UTF_8));
        assertThat(b.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("A          LONGER", "---------  ------", "wide-cell  1");
    }

    record Captured(int code, String out, String err) {
    }

    static Captured capture(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = FlotillaCli.run(args);
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
