package io.flotilla.raft.interaction;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every script in {@code src/test/resources/interaction/} as one dynamic test: each
 * command's output must equal the expected block (trailing whitespace ignored). The scripts
 * are specifications of Raft behaviour; each says in its header which rule it shows.
 *
 * <p>{@code -Dflotilla.rewrite=true} writes the actual outputs back into the source tree
 * instead of failing, for a human to review with {@code git diff}: a changed output is either
 * an intended change or a bug, never something to accept unread.</p>
 */
class InteractionTest {
    private static final Path SCRIPTS = Path.of("src", "test", "resources", "interaction");
    private static final boolean REWRITE = Boolean.getBoolean("flotilla.rewrite");
    /** Failures reported per script; later blocks usually fail as a consequence of the first. */
    private static final int MAX_REPORTED = 3;

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        Path dir = scriptDir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).as("scripts in %s", dir).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> run(f)));
    }

    private static Path scriptDir() {
        // Surefire runs in the module directory; the IDE may run from the reactor root.
        for (Path p : List.of(SCRIPTS, Path.of("multiraft").resolve(SCRIPTS))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find " + SCRIPTS + " from " + Path.of("").toAbsolutePath());
    }

    private static void run(Path file) throws IOException {
        String name = file.getFileName().toString();
        ScriptFile script = ScriptFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        Commands commands = new Commands();
        List<List<String>> outputs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int mismatches = 0;
        for (ScriptFile.Block block : script.blocks()) {
            List<String> actual;
            try {
                actual = commands.run(block.command());
            } catch (RuntimeException e) {
                throw new AssertionError(name + ":" + block.line() + ": '" + block.command() + "' threw " + e, e);
            }
            outputs.add(actual);
            if (!actual.equals(block.expected())) {
                mismatches++;
                if (failures.size() < MAX_REPORTED) {
                    failures.add(describe(name, block, actual));
                }
            }
        }
        if (REWRITE) {
            if (mismatches > 0) {
                Files.write(file, script.render(outputs), StandardCharsets.UTF_8);
            }
            return;
        }
        if (mismatches > 0) {
            fail(mismatches + " block(s) differ in " + name + " (rerun with -Dflotilla.rewrite=true to regenerate,"
                    + " then review the diff)\n\n" + String.join("\n\n", failures));
        }
    }

    private static String describe(String file, ScriptFile.Block block, List<String> actual) {
        StringBuilder s = new StringBuilder().append(file).append(':').append(block.line()).append(": ")
                .append(block.command()).append("\n--- expected\n+++ actual\n");
        for (String line : LineDiff.diff(block.expected(), actual)) {
            s.append(line).append('\n');
        }
        return s.toString();
    }
}
