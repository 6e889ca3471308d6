package io.flotilla.store.cli;

import io.flotilla.client.FlotillaClient;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Where the cluster is and how to print: options every kv and admin command takes. */
final class ClusterOptions {
    /** The demo's nodes: `bin/flotilla demo` listens here unless told otherwise. */
    static final String DEFAULT_CLUSTER = "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,...]",
            description = "Nodes to contact (one reachable node is enough). Default: $FLOTILLA_CLUSTER, else "
                    + DEFAULT_CLUSTER + " (the demo).")
    String cluster;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    List<String> seeds() {
        String spec = cluster != null ? cluster : System.getenv().getOrDefault("FLOTILLA_CLUSTER", DEFAULT_CLUSTER);
        return Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    FlotillaClient connect() {
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--timeout must be positive, not " + timeoutSeconds);
        }
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        return FlotillaClient.builder().seeds(seeds()).requestTimeout(timeout)
                .attemptTimeout(Duration.ofMillis(Math.max(200, timeout.toMillis() / 4))).build();
    }
}
