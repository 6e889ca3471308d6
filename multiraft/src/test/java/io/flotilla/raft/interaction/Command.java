package io.flotilla.raft.interaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command line: a name, positional arguments and {@code key=value} options. A bare word
 * after the name is positional; options may appear anywhere.
 */
record Command(String name, List<String> args, Map<String, String> options) {

    static Command parse(String line) {
        String[] words = line.strip().split("\\s+");
        List<String> args = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            int eq = w.indexOf('=');
            if (eq > 0) {
                options.put(w.substring(0, eq), w.substring(eq + 1));
            } else {
                args.add(w);
            }
        }
        return new Command(words[0], List.copyOf(args), options);
    }

    String arg(int i) {
        if (i >= args.size()) {
            throw new ScriptException(name + ": missing argument " + (i + 1));
        }
        return args.get(i);
    }

    long id(int i) {
        return parseLong(arg(i), "node id");
    }

    int intArg(int i, int dflt) {
        return i < args.size() ? (int) parseLong(args.get(i), "count") : dflt;
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    String option(String key, String dflt) {
        return options.getOrDefault(key, dflt);
    }

    long longOption(String key, long dflt) {
        return options.containsKey(key) ? parseLong(options.get(key), key) : dflt;
    }

    boolean boolOption(String key, boolean dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ScriptException(name + ": " + key + " must be true or false, got " + v);
        };
    }

    /** Rejects options this command does not know, so a typo cannot silently change a scenario. */
    void allowOnly(String... keys) {
        for (String k : options.keySet()) {
            if (!List.of(keys).contains(k)) {
                throw new ScriptException(name + ": unknown option " + k + " (known: " + String.join(", ", keys) + ")");
            }
        }
    }

    static long parseLong(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ScriptException("bad " + what + ": " + s);
        }
    }
}
