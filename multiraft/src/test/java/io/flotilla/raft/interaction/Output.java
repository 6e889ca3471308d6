package io.flotilla.raft.interaction;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command prints. In summary mode only role/term transitions (and what the command
 * adds explicitly) are kept, so long runs such as a full stabilize stay short in scripts.
 */
final class Output {
    private final List<String> lines = new ArrayList<>();
    private final boolean summary;

    Output(boolean summary) {
        this.summary = summary;
    }

    /** Always printed. */
    void add(String line) {
        lines.add(line);
    }

    /** Printed only in full mode: Readys and delivered messages. */
    void detail(String line) {
        if (!summary) {
            lines.add(line);
        }
    }

    /** A role or term change; indented under what caused it in full mode. */
    void transition(String indent, String line) {
        lines.add(summary ? line : indent + line);
    }

    boolean summary() {
        return summary;
    }

    List<String> lines() {
        return lines;
    }
}
