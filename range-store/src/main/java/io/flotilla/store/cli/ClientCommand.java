package io.flotilla.store.cli;

import io.flotilla.client.FlotillaClient;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** A command that talks to the cluster: it connects with the shared options, runs, and closes. */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        try (FlotillaClient client = cluster.connect()) {
            return run(client, System.out);
        }
    }

    abstract int run(FlotillaClient client, PrintStream out);
}
