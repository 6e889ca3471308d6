package io.flotilla.bench.load.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An HdrHistogram interval log (.hlog): one line per operation type per interval, tagged with
 * the operation, in microseconds. HdrHistogram's HistogramLogProcessor and the online
 * HdrHistogram plotter read it, so the whole latency distribution survives, not just the
 * percentiles the JSON keeps.
 */
public final class HistogramLog implements AutoCloseable {
    private final HistogramLogWriter writer;

    public HistogramLog(Path path, String comment, long startEpochMillis) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.writer = new HistogramLogWriter(path.toFile());
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + path, e);
        }
        writer.outputComment(comment);
        writer.outputComment("values are microseconds; each line's tag is the operation");
        writer.outputLogFormatVersion();
        writer.setBaseTime(startEpochMillis);
        writer.outputStartTime(startEpochMillis);
        writer.outputBaseTime(startEpochMillis);
        writer.outputLegend();
    }

    /** Appends one interval (its start and end timestamps are the recorder's, in epoch ms). */
    public synchronized void append(Histogram interval) {
        writer.outputIntervalHistogram(interval);
    }

    @Override
    public synchronized void close() {
        writer.close();
    }
}
