package io.flotilla.store.cli;

import io.flotilla.client.FlotillaClient;
import io.flotilla.client.KeyValue;
import io.flotilla.client.ReadConsistency;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code flotilla kv put|get|delete|scan}: one request each, through the client library. */
@Command(name = "kv", description = "Read and write keys.", mixinStandardHelpOptions = true,
        subcommands = {KvCommand.Put.class, KvCommand.Get.class, KvCommand.Delete.class, KvCommand.Scan.class})
final class KvCommand {

    abstract static class Base extends ClientCommand {
        @Option(names = "--hex", description = "Keys and values are given in hex.")
        boolean hex;
    }

    @Command(name = "put", description = "Set KEY to VALUE.", mixinStandardHelpOptions = true)
    static final class Put extends Base {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        int run(FlotillaClient client, PrintStream out) {
            client.sync().put(Bytes.parse(key, hex, "KEY"), Bytes.parse(value, hex, "VALUE"));
            if (cluster.json) {
                out.println(Json.write(Map.of("ok", true)));
            } else {
                out.println("OK");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Print KEY's value (exit code 3 if it is absent).",
            mixinStandardHelpOptions = true)
    static final class Get extends Base {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Option(names = "--lease", description = "Read under the leader's lease instead of a ReadIndex round.")
        boolean lease;

        @Override
        int run(FlotillaClient client, PrintStream out) {
            Optional<byte[]> v = client.sync().get(Bytes.parse(key, hex, "KEY"),
                    lease ? ReadConsistency.LEASE : ReadConsistency.LINEARIZABLE);
            if (cluster.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", key);
                m.put("found", v.isPresent());
                m.put("value", v.map(Bytes::show).orElse(null));
                out.println(Json.write(m));
            } else if (v.isPresent()) {
                out.println(Bytes.show(v.get()));
            } else {
                System.err.println("flotilla: key " + key + " not found");
            }
            return v.isPresent() ? ExitCodes.OK : ExitCodes.NOT_FOUND;
        }
    }

    @Command(name = "delete", description = "Delete KEY (absent keys are fine).", mixinStandardHelpOptions = true)
    static final class Delete extends Base {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        int run(FlotillaClient client, PrintStream out) {
            client.sync().delete(Bytes.parse(key, hex, "KEY"));
            out.println(cluster.json ? Json.write(Map.of("ok", true)) : "OK");
            return ExitCodes.OK;
        }
    }

    @Command(name = "scan", description = "List keys in [START, END), across ranges.", mixinStandardHelpOptions = true)
    static final class Scan extends Base {
        @Parameters(index = "0", paramLabel = "START", arity = "0..1", description = "Default: the first key.")
        String start;
        @Parameters(index = "1", paramLabel = "END", arity = "0..1", description = "Default: the end of the key space.")
        String end;
        @Option(names = "--limit", defaultValue = "100", description = "At most this many keys (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(FlotillaClient client, PrintStream out) {
            if (limit <= 0) {
                throw new IllegalArgumentException("--limit must be positive, not " + limit);
            }
            // The smallest key: the key space starts just above the empty key.
            byte[] from = start == null || start.isEmpty() ? new byte[] {0} : Bytes.parse(start, hex, "START");
            byte[] to = end == null || end.isEmpty() ? null : Bytes.parse(end, hex, "END");
            List<KeyValue> kvs = client.sync().scan(from, to, limit);
            if (cluster.json) {
                List<Object> rows = new ArrayList<>();
                for (KeyValue kv : kvs) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", Bytes.show(kv.key()));
                    m.put("value", Bytes.show(kv.value()));
                    rows.add(m);
                }
                out.println(Json.write(rows));
            } else {
                Table t = new Table("KEY", "VALUE");
                for (KeyValue kv : kvs) {
                    t.row(Bytes.show(kv.key()), Bytes.show(kv.value()));
                }
                t.print(out);
                out.println("(" + kvs.size() + (kvs.size() == limit ? ", limit reached" : "") + ")");
            }
            return ExitCodes.OK;
        }
    }
}
