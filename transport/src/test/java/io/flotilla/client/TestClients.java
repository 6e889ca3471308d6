package io.flotilla.client;

import java.time.Duration;
import java.util.List;

/** Clients for tests: short backoffs so retries take milliseconds; a generous deadline unless a test sets one. */
final class TestClients {
    private TestClients() {
    }

    static FlotillaClientBuilder builder(String... seeds) {
        return FlotillaClient.builder()
                .seeds(List.of(seeds))
                .requestTimeout(Duration.ofSeconds(10))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20));
    }

    static FlotillaClient client(String... seeds) {
        return builder(seeds).build();
    }
}
