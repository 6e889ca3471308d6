package io.flotilla.bench.core;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON result file into the compact summary the project keeps
 * ({@code bench/results/core.json}: one row per benchmark with its parameters, score, error,
 * unit and allocation per op) and prints it as a table, each figure with its unit and a line
 * saying what one op is (from {@link Measures}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.flotilla.bench.core.JmhSummary <jmh.json> <summary.json>}</p>
 */
public final class JmhSummary {
    static final String ALLOC_NORM = "gc.alloc.rate.norm";
    private static final String PACKAGE_PREFIX = "io.flotilla.bench.";

    /** One benchmark's figures. Nullable fields are absent from the run (e.g. no -prof gc). */
    public record Row(String benchmark, String mode, Map<String, String> params, double score, Double error,
                      String unit, Double allocNorm, Double allocNormError, String allocNormUnit, String measures,
                      int forks, String warmup, String measurement) {
    }

    private JmhSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JmhSummary <jmh-result.json> <summary.json>");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Object jmh = MiniJson.parse(Files.readString(in, StandardCharsets.UTF_8));
        List<Row> rows = rows(jmh);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("generated", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        env.put("source", in.toString());
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        Files.writeString(out, MiniJson.write(summary(rows, firstRunInfo(jmh), env)), StandardCharsets.UTF_8);
        System.out.print(table(rows));
        System.out.println("summary: " + out + "   full JMH output: " + in);
    }

    /** Reads every result of a JMH JSON document (a top-level array). */
    public static List<Row> rows(Object jmhJson) {
        if (!(jmhJson instanceof List<?> results)) {
            throw new IllegalArgumentException("a JMH result file is a JSON array");
        }
        List<Row> rows = new ArrayList<>();
        for (Object o : results) {
            Map<?, ?> r = map(o, "result");
            String benchmark = string(r, "benchmark");
            Map<?, ?> primary = map(r.get("primaryMetric"), "primaryMetric");
            Map<String, String> params = new LinkedHashMap<>();
            if (r.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            }
            Double allocNorm = null;
            Double allocNormError = null;
            String allocUnit = null;
            if (r.get("secondaryMetrics") instanceof Map<?, ?> sec && sec.get(ALLOC_NORM) instanceof Map<?, ?> a) {
                allocNorm = number(a.get("score"));
                allocNormError = number(a.get("scoreError"));
                allocUnit = string(a, "scoreUnit");
            }
            Double score = number(primary.get("score"));
            if (score == null) {
                throw new IllegalArgumentException(benchmark + ": primaryMetric has no score");
            }
            rows.add(new Row(shortName(benchmark), string(r, "mode"), params, score,
                    number(primary.get("scoreError")), string(primary, "scoreUnit"), allocNorm, allocNormError,
                    allocUnit, measures(benchmark), intValue(r.get("forks")),
                    iterations(r.get("warmupIterations"), r.get("warmupTime")),
                    iterations(r.get("measurementIterations"), r.get("measurementTime"))));
        }
        return rows;
    }

    /** JMH, JDK and VM of the run, from the first result (they are the same for all). */
    static Map<String, Object> firstRunInfo(Object jmhJson) {
        Map<String, Object> info = new LinkedHashMap<>();
        if (jmhJson instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> r) {
            for (String k : List.of("jmhVersion", "jdkVersion", "vmName", "vmVersion")) {
                if (r.get(k) != null) {
                    info.put(k, String.valueOf(r.get(k)));
                }
            }
            if (r.get("jvmArgs") instanceof List<?> args) {
                info.put("jvmArgs", new ArrayList<>(args));
            }
        }
        return info;
    }

    /** The summary document: environment, run info, then one entry per benchmark. */
    public static Map<String, Object> summary(List<Row> rows, Map<String, Object> runInfo, Map<String, Object> env) {
        Map<String, Object> doc = new LinkedHashMap<>(env);
        doc.putAll(runInfo);
        List<Object> results = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", row.benchmark());
            m.put("mode", row.mode());
            m.put("params", new LinkedHashMap<>(row.params()));
            m.put("score", row.score());
            m.put("error", row.error());
            m.put("unit", row.unit());
            m.put("allocNorm", row.allocNorm());
            m.put("allocNormError", row.allocNormError());
            m.put("allocNormUnit", row.allocNormUnit());
            m.put("measures", row.measures());
            m.put("forks", row.forks());
            m.put("warmup", row.warmup());
            m.put("measurement", row.measurement());
            results.add(m);
        }
        doc.put("results", results);
        return doc;
    }

    /** A fixed-width table: every figure with its unit; then what one op is, per benchmark. */
    public static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"Benchmark", "Params", "Score", "± Error (99.9%)", "Unit", "Alloc", "Alloc unit"});
        for (Row r : rows) {
            cells.add(new String[] {
                r.benchmark(),
                r.params().isEmpty() ? "-" : String.join(",", r.params().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()),
                format(r.score()),
                r.error() == null ? "n/a" : "± " + format(r.error()),
                r.unit(),
                r.allocNorm() == null ? "n/a" : format(r.allocNorm()),
                r.allocNormUnit() == null ? "(no -prof gc)" : r.allocNormUnit(),
            });
        }
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (int line = 0; line < cells.size(); line++) {
            String[] row = cells.get(line);
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i == 2 || i == 3 || i == 5;
                String pad = " ".repeat(width[i] - row[i].length());
                s.append(numeric ? pad + row[i] : row[i] + pad).append(i + 1 < row.length ? "  " : "");
            }
            s.setLength(s.toString().stripTrailing().length());
            s.append('\n');
            if (line == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                s.append("-".repeat(total - 2)).append('\n');
            }
        }
        s.append('\n');
        for (Row r : rows) {
            s.append(r.benchmark()).append(": one op = ").append(r.measures() == null ? "(not described)"
                    : r.measures()).append('\n');
        }
        if (!rows.isEmpty()) {
            Row r = rows.get(0);
            s.append("run: ").append(r.forks()).append(" fork(s), warmup ").append(r.warmup())
                    .append(", measurement ").append(r.measurement()).append('\n');
        }
        return s.toString();
    }

    /** Readable figures: thousands separated for big numbers, decimals for small ones. */
    static String format(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String shortName(String benchmark) {
        int core = benchmark.indexOf(PACKAGE_PREFIX);
        if (core < 0) {
            return benchmark;
        }
        String rest = benchmark.substring(core + PACKAGE_PREFIX.length());
        // Drop the package part below io.flotilla.bench ("core."), keep Class.method.
        int lastDot = rest.lastIndexOf('.');
        int classDot = lastDot < 0 ? -1 : rest.lastIndexOf('.', lastDot - 1);
        return classDot < 0 ? rest : rest.substring(classDot + 1);
    }

    /** The {@link Measures} text of a benchmark method, or null if it has none or is unknown here. */
    static String measures(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        try {
            Class<?> c = Class.forName(benchmark.substring(0, dot), false, JmhSummary.class.getClassLoader());
            for (Method m : c.getMethods()) {
                Measures what = m.getAnnotation(Measures.class);
                if (m.getName().equals(benchmark.substring(dot + 1)) && what != null) {
                    return what.value();
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // A result from another jar: summarize it without the description.
        }
        return null;
    }

    private static String iterations(Object count, Object time) {
        if (count == null) {
            return null;
        }
        return intValue(count) + " x " + (time == null ? "?" : time);
    }

    private static Map<?, ?> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return String.valueOf(v);
    }

    /** JMH writes NaN as the string "NaN" (e.g. the error of a single iteration): that is no figure. */
    static Double number(Object v) {
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(d) ? d : null;
    }

    private static int intValue(Object v) {
        Double d = number(v);
        return d == null ? 0 : d.intValue();
    }
}
