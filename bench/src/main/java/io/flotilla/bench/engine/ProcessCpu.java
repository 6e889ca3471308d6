package io.flotilla.bench.engine;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this process over a window, split by who spent it: the engines' tickers, their
 * workers, benchmark clients, and everything else (garbage collection, JIT, native threads such
 * as RocksDB's, the tool itself), so a figure can be attributed.
 */
public final class ProcessCpu {
    /** Benchmark client threads are named with this prefix, so their CPU is told apart. */
    public static final String CLIENT_THREAD_PREFIX = "bench-client";
    private final long wallStart;
    private final long processStart;
    private final Map<String, Long> threadsStart;
    private final long gcMillisStart;
    private final Map<String, Long> osThreadsStart;

    private ProcessCpu() {
        this.gcMillisStart = gcMillis();
        this.osThreadsStart = osThreadTicks();
        this.threadsStart = byThreadKind();
        this.processStart = processCpuNanos();
        this.wallStart = System.nanoTime();
    }

    /** Starts a window now. */
    public static ProcessCpu start() {
        return new ProcessCpu();
    }

    /**
     * Ends the window: wall seconds, process CPU as % of one core, and the share of tickers,
     * workers, clients and the rest, each as % of one core; GC milliseconds spent in the window.
     */
    public Map<String, Object> stop() {
        long wall = System.nanoTime() - wallStart;
        long cpu = processCpuNanos() - processStart;
        Map<String, Long> threads = byThreadKind();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("wallSeconds", wall / 1e9);
        r.put("processCpuPercentOfOneCore", 100.0 * cpu / wall);
        long attributed = 0;
        for (String kind : new String[]{"ticker", "worker", "client"}) {
            long spent = threads.getOrDefault(kind, 0L) - threadsStart.getOrDefault(kind, 0L);
            attributed += spent;
            r.put(kind + "CpuPercentOfOneCore", 100.0 * spent / wall);
        }
        r.put("otherCpuPercentOfOneCore", 100.0 * (cpu - attributed) / wall);
        r.put("gcMillis", gcMillis() - gcMillisStart);
        Map<String, Long> osEnd = osThreadTicks();
        r.put("topThreadsByName", topThreads(osEnd, wall));
        if (!osEnd.isEmpty()) {
            long jit = 0;
            for (var e : osEnd.entrySet()) {
                if (e.getKey().contains("CompilerThre")) {
                    jit += e.getValue() - osThreadsStart.getOrDefault(e.getKey(), 0L);
                }
            }
            // The JIT still compiles for a while after a long setup; it is not a steady-state cost.
            r.put("jitCompilerCpuPercentOfOneCore", 100.0 * jit * 10_000_000L / wall);
            r.put("processCpuPercentOfOneCoreExcludingJit", 100.0 * (cpu - jit * 10_000_000L) / wall);
        }
        return r;
    }

    /**
     * Every thread of the process as the kernel counts it (JVM-internal ones too: GC, JIT
     * compiler, VM periodic task), summed by name with instance numbers dropped, the 10 busiest
     * as % of one core. Empty where there is no /proc.
     */
    private java.util.List<Map<String, Object>> topThreads(Map<String, Long> end, long wallNanos) {
        Map<String, Long> byName = new java.util.HashMap<>();
        end.forEach((key, ticks) -> {
            String name = key.substring(key.indexOf(':') + 1).replaceAll("([#\\-]?\\d+)+$", "");
            byName.merge(name, ticks - osThreadsStart.getOrDefault(key, 0L), Long::sum);
        });
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10).forEach(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("thread", e.getKey());
                    // Kernel clock ticks are 10 ms on Linux (USER_HZ = 100).
                    row.put("cpuPercentOfOneCore", 100.0 * e.getValue() * 10_000_000L / wallNanos);
                    out.add(row);
                });
        return out;
    }

    /** utime + stime per thread, keyed "tid:name", from /proc/self/task; empty where unavailable. */
    private static Map<String, Long> osThreadTicks() {
        Map<String, Long> out = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return out;
        }
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String[] f = stat.substring(close + 2).split(" ");
                // After "pid (comm) ": state is f[0], utime f[11], stime f[12].
                out.put(t.getName() + ":" + stat.substring(open + 1, close), Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (java.io.IOException | RuntimeException e) {
                // The thread ended while we read it: its time is lost, as a dead thread's is.
            }
        }
        return out;
    }

    /** The busiest threads of a {@link #stop()} result as "name 1.2%, ...", for a table. */
    @SuppressWarnings("unchecked")
    public static String topThreadsLine(Map<String, Object> window, int n) {
        StringBuilder s = new StringBuilder();
        var rows = (java.util.List<Map<String, Object>>) window.getOrDefault("topThreadsByName", java.util.List.of());
        for (int i = 0; i < Math.min(n, rows.size()); i++) {
            s.append(i == 0 ? "" : ", ").append(rows.get(i).get("thread"))
                    .append(String.format(" %.1f", (Double) rows.get(i).get("cpuPercentOfOneCore")));
        }
        return s.toString();
    }

    public static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    /** CPU nanoseconds of live engine threads, by kind (threads that ended meanwhile are lost). */
    private static Map<String, Long> byThreadKind() {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new LinkedHashMap<>();
        for (var info : tm.getThreadInfo(tm.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            String kind = name.startsWith("flotilla-ticker") ? "ticker" : name.startsWith("flotilla-worker") ? "worker"
                    : name.startsWith(CLIENT_THREAD_PREFIX) ? "client" : null;
            long t = tm.getThreadCpuTime(info.getThreadId());
            if (kind != null && t > 0) {
                out.merge(kind, t, Long::sum);
            }
        }
        return out;
    }
}
