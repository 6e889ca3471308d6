package io.flotilla.bench.engine;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the live heap holds: the used heap after full collections, and the class histogram
 * ({@code jcmd GC.class_histogram}, taken in-process through the DiagnosticCommand MBean), so
 * a tool can say which classes a change in heap consists of.
 */
public final class HeapCensus {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Instances and bytes of one class. */
    public record ClassCount(long instances, long bytes) {
    }

    private HeapCensus() {
    }

    /** Used heap in bytes once a few full collections have run (each may free what the last left). */
    public static long usedAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The live objects by class (the histogram forces a full collection first); empty if unavailable. */
    public static Map<String, ClassCount> histogram() {
        Map<String, ClassCount> out = new HashMap<>();
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[]{new String[0]}, new String[]{String[].class.getName()});
            for (String line : String.valueOf(text).split("\n")) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    out.merge(m.group(3), new ClassCount(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                            (a, b) -> new ClassCount(a.instances + b.instances, a.bytes + b.bytes));
                }
            }
        } catch (Exception e) {
            // Some JVMs do not offer the command: the tool reports heap totals without a breakdown.
        }
        return out;
    }

    /** Bytes of all the objects in a {@link #histogram()}. */
    public static long totalBytes(Map<String, ClassCount> histogram) {
        return histogram.values().stream().mapToLong(ClassCount::bytes).sum();
    }

    /**
     * The {@code top} classes by growth from {@code before} to {@code after}, each with its bytes
     * and instances per {@code perUnit} (e.g. per replica).
     */
    public static List<Map<String, Object>> growth(Map<String, ClassCount> before, Map<String, ClassCount> after,
                                                   long perUnit, int top) {
        List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
        after.forEach((cls, a) -> {
            ClassCount b = before.getOrDefault(cls, new ClassCount(0, 0));
            deltas.add(Map.entry(cls, new long[]{a.bytes - b.bytes, a.instances - b.instances}));
        });
        deltas.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(top, deltas.size()); i++) {
            var d = deltas.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("class", d.getKey());
            r.put("bytes", d.getValue()[0]);
            r.put("instances", d.getValue()[1]);
            r.put("bytesPerUnit", (double) d.getValue()[0] / Math.max(1, perUnit));
            r.put("instancesPerUnit", (double) d.getValue()[1] / Math.max(1, perUnit));
            rows.add(r);
        }
        return rows;
    }
}
