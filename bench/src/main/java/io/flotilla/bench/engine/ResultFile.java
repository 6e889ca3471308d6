package io.flotilla.bench.engine;

import io.flotilla.bench.core.MiniJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a tool's result goes: JSON in {@code bench/results/<name>.json} unless {@code --out}
 * says otherwise, with a description of the host it ran on, since a figure means little
 * without the load the machine was under.
 */
public final class ResultFile {
    private ResultFile() {
    }

    /** {@code --out} if given, else {@code bench/results/<name>.json} relative to the working directory. */
    public static Path path(BenchArgs args, String name) {
        return Path.of(args.string("out", "bench/results/" + name + ".json"));
    }

    public static void write(Path path, Map<String, Object> result) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(path, MiniJson.write(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** Cores, load averages (1/5/15 min, from /proc/loadavg when there is one), JVM and heap limit. */
    public static Map<String, Object> host() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("cores", Runtime.getRuntime().availableProcessors());
        h.put("loadAverage", loadAverage());
        h.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        h.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        // The collector changes an engine's CPU cost by half at scale (see bin/flotilla): record it.
        h.put("gc", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        h.put("time", java.time.Instant.now().toString());
        return h;
    }

    /** "1m 5m 15m" load averages, as uptime prints them. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
