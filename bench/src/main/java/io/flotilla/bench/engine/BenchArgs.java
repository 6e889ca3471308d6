package io.flotilla.bench.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --key=value} flags of a benchmark tool. A bare {@code --key} means {@code true}.
 * Unknown keys are refused, so a typo does not silently run the default.
 */
public final class BenchArgs {
    private final Map<String, String> values;

    private BenchArgs(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param known every key the tool accepts
     * @throws IllegalArgumentException naming the bad argument and the accepted keys
     */
    public static BenchArgs parse(String[] args, Set<String> known) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --key=value, got '" + a + "'; keys: " + new TreeSet<>(known));
            }
            int eq = a.indexOf('=');
            String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown flag --" + key + "; keys: " + new TreeSet<>(known));
            }
            v.put(key, eq < 0 ? "true" : a.substring(eq + 1));
        }
        return new BenchArgs(v);
    }

    /**
     * For a tool's main: parses, or prints {@code usage} and exits (0 for --help, 2 for a bad
     * command line, as for an unknown command), so a typo gets a sentence, not a stack trace.
     */
    public static BenchArgs parseOrExit(String[] args, Set<String> known, String usage) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(usage);
            System.exit(0);
        }
        try {
            return parse(args, known);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            throw e; // not reached
        }
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key, String def) {
        return values.getOrDefault(key, def);
    }

    public int integer(String key, int def) {
        String s = values.get(key);
        try {
            return s == null ? def : Integer.parseInt(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs an integer, got '" + s + "'");
        }
    }

    public long longValue(String key, long def) {
        String s = values.get(key);
        try {
            return s == null ? def : Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs an integer, got '" + s + "'");
        }
    }

    public boolean bool(String key, boolean def) {
        String s = values.get(key);
        if (s == null) {
            return def;
        }
        return switch (s) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("--" + key + " needs true or false, got '" + s + "'");
        };
    }

    /** The flags as given, for the result file. */
    public Map<String, String> asMap() {
        return new LinkedHashMap<>(values);
    }
}
