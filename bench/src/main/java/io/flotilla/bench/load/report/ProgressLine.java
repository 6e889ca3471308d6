package io.flotilla.bench.load.report;

import java.io.PrintStream;

/** One line per interval while a phase runs, so a long run shows it is alive and how it is going. */
public final class ProgressLine {
    private final PrintStream out;
    private final String phase;

    public ProgressLine(PrintStream out, String phase) {
        this.out = out;
        this.phase = phase;
    }

    public void print(Second s, long totalOps) {
        out.printf("[%s %5.1f s] %,9.0f ops/s  p50 %7.2f ms  p99 %8.2f ms  max %8.2f ms  total %,d%s%n", phase,
                s.atSeconds(), s.opsPerSecond(), s.p50Millis(), s.p99Millis(), s.maxMillis(), totalOps,
                s.failed() == 0 ? "" : "  failed " + s.failed());
        out.flush();
    }
}
