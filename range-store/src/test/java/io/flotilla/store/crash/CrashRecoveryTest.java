package io.flotilla.store.crash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing acknowledged is lost, nothing is applied twice: a child JVM running three nodes
 * under write load is killed with SIGKILL at a random point, round after round; then every
 * acknowledged write is read back, and every range resumed applying exactly after its
 * persisted applied index. Rounds: {@code flotilla.crash.rounds} (5 by default, 100 with -Psoak).
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    private static List<String> command(String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", cp, CrashWorkload.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void acknowledgedWritesSurviveKillMinusNineAndAreAppliedOnce() throws Exception {
        int rounds = Integer.getInteger("flotilla.crash.rounds", 5);
        long seed = Long.getLong("flotilla.crash.seed", 20261122L);
        SplittableRandom random = new SplittableRandom(seed);
        List<String> acked = new ArrayList<>();
        Path data = dir.resolve("cluster");
        for (int round = 0; round < rounds; round++) {
            int killAfter = 20 + random.nextInt(200);
            Process child = new ProcessBuilder(command("write", data.toString(), String.valueOf(round)))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int roundAcks = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((line = in.readLine()) != null && System.nanoTime() < deadline) {
                    if (line.startsWith("ACK ")) {
                        acked.add(line.substring(4));
                        if (++roundAcks >= killAfter) {
                            break;
                        }
                    }
                }
                child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
                child.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(roundAcks).as("acks in round " + round + " (seed " + seed + ")").isEqualTo(killAfter);
        }
        File keyFile = dir.resolve("acked.keys").toFile();
        java.nio.file.Files.write(keyFile.toPath(), acked);
        List<String> cmd = command("verify", data.toString(), keyFile.toString());
        Process verify = new ProcessBuilder(cmd).redirectError(dir.resolve("verify.err").toFile()).start();
        List<String> missing = new ArrayList<>();
        String verified = null;
        Pattern resumed = Pattern.compile("RESUMED node=(\\d+) loaded=(\\d+) first=(\\d+)");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(verify.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("MISSING ")) {
                    missing.add(line.substring(8));
                } else if (line.startsWith("VERIFIED ")) {
                    verified = line;
                } else {
                    Matcher m = resumed.matcher(line);
                    if (m.matches()) {
                        long loaded = Long.parseLong(m.group(2));
                        long first = Long.parseLong(m.group(3));
                        assertThat(first).as("node " + m.group(1) + " resumed applying right after " + loaded)
                                .isIn(0L, loaded + 1);
                    }
                }
            }
        }
        assertThat(verify.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(verified).as("verification finished; stderr: " + java.nio.file.Files.readString(dir.resolve("verify.err"))).isNotNull();
        assertThat(missing).as("acknowledged writes lost after " + rounds + " kills (seed " + seed + ")").isEmpty();
        assertThat(acked).hasSizeGreaterThan(rounds * 20 - 1);
    }
}
