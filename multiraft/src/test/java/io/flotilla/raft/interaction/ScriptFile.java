package io.flotilla.raft.interaction;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed interaction script. The format is a sequence of blocks:
 * <pre>
 * # comments and blank lines (kept verbatim)
 * command arg key=value
 * ----
 * expected output, up to the next blank line or the end of the file
 * </pre>
 * Everything that is not a command, a separator or an output is kept verbatim, so a
 * rewritten file differs from the original only in the outputs.
 */
record ScriptFile(List<Block> blocks, List<String> trailer) {
    static final String SEPARATOR = "----";

    /**
     * One command and its expected output.
     *
     * @param preamble comment and blank lines before the command, verbatim
     * @param line     1-based line number of the command, for error messages
     */
    record Block(List<String> preamble, String command, int line, List<String> expected) {
    }

    static ScriptFile parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        List<String> preamble = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                preamble.add(line);
                i++;
                continue;
            }
            int commandLine = i + 1;
            if (i + 1 >= lines.size() || !lines.get(i + 1).equals(SEPARATOR)) {
                throw new ScriptException("line " + commandLine + ": expected '" + SEPARATOR + "' after command '"
                        + line + "'");
            }
            i += 2;
            List<String> expected = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isBlank()) {
                expected.add(lines.get(i).stripTrailing());
                i++;
            }
            blocks.add(new Block(List.copyOf(preamble), line.strip(), commandLine, expected));
            preamble.clear();
        }
        return new ScriptFile(blocks, List.copyOf(preamble));
    }

    /** The file with every block's output replaced by {@code outputs} (same order). */
    List<String> render(List<List<String>> outputs) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            out.addAll(block.preamble());
            out.add(block.command());
            out.add(SEPARATOR);
            out.addAll(outputs.get(b));
        }
        out.addAll(trailer);
        return out;
    }
}
