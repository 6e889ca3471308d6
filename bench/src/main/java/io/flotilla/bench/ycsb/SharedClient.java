package io.flotilla.bench.ycsb;

import io.flotilla.client.FlotillaClient;

import java.time.Duration;
import java.util.List;

/**
 * The one client all of a YCSB run's DB instances share. YCSB makes a DB instance per client
 * thread; a FlotillaClient is thread-safe and holds the connections and routing cache, so one
 * per thread would only multiply connections and cache misses. Counted: the last cleanup closes it.
 */
final class SharedClient {
    private static FlotillaClient client;
    private static String clientSeeds;
    private static int users;

    private SharedClient() {
    }

    static synchronized FlotillaClient acquire(List<String> seeds, Duration timeout) {
        String key = String.join(",", seeds) + "@" + timeout.toMillis();
        if (client != null && !key.equals(clientSeeds)) {
            throw new IllegalStateException("one YCSB run talks to one cluster: already connected to " + clientSeeds
                    + ", asked for " + key);
        }
        if (client == null) {
            Duration attempt = timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2);
            client = FlotillaClient.builder().seeds(seeds).requestTimeout(timeout).attemptTimeout(attempt).build();
            clientSeeds = key;
        }
        users++;
        return client;
    }

    static synchronized void release() {
        if (users > 0 && --users == 0) {
            client.close();
            client = null;
            clientSeeds = null;
        }
    }
}
