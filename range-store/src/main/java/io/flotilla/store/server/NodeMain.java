package io.flotilla.store.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToIntFunction;

/**
 * The node process: {@code node start --node-id=1 --listen=127.0.0.1:7001 --data-dir=... 
 * --initial-cluster=1=...,2=...,3=...} (or {@code --join=host:port}). {@code --config FILE}
 * reads the same keys from a properties file ({@code node-id=1}, {@code listen=...}); flags
 * given on the command line win. Bad flags exit with 2 and say what is wrong; SIGTERM stops
 * the node gracefully (leaders handed away first).
 */
@Command(name = "node", mixinStandardHelpOptions = true, subcommands = NodeMain.Start.class,
        versionProvider = NodeMain.Version.class, description = "Runs a Flotilla node.")
public final class NodeMain implements Runnable {
    /** Exit code for bad flags, a bad config file or a data directory of another node or cluster. */
    public static final int USAGE = 2;
    /** Exit code when the node failed while starting or running. */
    public static final int FAILED = 1;

    /** Keys a config file may hold: the long flag names of {@code start}, without dashes. */
    static final Set<String> CONFIG_KEYS = Set.of("node-id", "listen", "advertise", "data-dir", "initial-cluster", "join",
            "cluster-id", "tick-ms", "election-ticks", "drain-timeout-ms", "placement", "placement-interval-ms",
            "suspect-after-ms", "dead-after-ms", "replace-after-ms", "max-operators-per-node", "max-operators", "labels");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: start");
    }

    public static void main(String[] args) {
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                NodeMain::runUntilStopped);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Parses {@code args} (merging a {@code --config} file) and hands the configuration to
     * {@code runner}; returns the exit code.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, ToIntFunction<NodeConfig> runner) {
        String[] merged;
        try {
            merged = withConfigFile(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        CommandLine cl = new CommandLine(new NodeMain(), new Factory(runner));
        cl.setOut(out);
        cl.setErr(err);
        // Config file values come first on the line; a flag given again later overrides them.
        cl.setOverwrittenOptionsAllowed(true);
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().getErr().println("see: node " + (e.getCommandLine().getCommandName().equals("node")
                    ? "" : e.getCommandLine().getCommandName() + " ") + "--help");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("error: " + e.getMessage());
            return FAILED;
        });
        return cl.execute(merged);
    }

    /** Starts the node and blocks until the process is asked to stop (SIGTERM, Ctrl-C). */
    static int runUntilStopped(NodeConfig config) {
        FlotillaNode node = new FlotillaNode(config);
        CountDownLatch stopped = new CountDownLatch(1);
        node.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "flotilla-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.close();
        }
        return 0;
    }

    /** The arguments with a config file's keys put before them as flags, so that the command line wins. */
    static String[] withConfigFile(String[] args) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config needs a file");
                }
                file = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            }
        }
        if (file == null) {
            return args;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(CONFIG_KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown keys in " + file + ": " + unknown + "; known keys are "
                    + new TreeSet<>(CONFIG_KEYS));
        }
        List<String> out = new ArrayList<>();
        int sub = 0;
        while (sub < args.length && args[sub].startsWith("-")) {
            out.add(args[sub++]); // options of "node" itself come before the subcommand
        }
        if (sub < args.length) {
            out.add(args[sub++]);
        }
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            out.add("--" + key + "=" + p.getProperty(key).trim());
        }
        for (int i = sub; i < args.length; i++) {
            out.add(args[i]);
        }
        return out.toArray(String[]::new);
    }

    /** Builds subcommands with the runner they hand their configuration to. */
    private record Factory(ToIntFunction<NodeConfig> runner) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == Start.class) {
                return cls.cast(new Start(runner));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /** The version in the jar's manifest, if it was built into one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NodeMain.class.getPackage().getImplementationVersion();
            return new String[] {"flotilla node " + (v == null ? "(development build)" : v)};
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = NodeMain.Version.class,
            description = "Starts a node and runs it until SIGTERM or Ctrl-C; stopping hands its leaders away first.")
    static final class Start implements Callable<Integer> {
        private final ToIntFunction<NodeConfig> runner;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--node-id", required = true, description = "This node's id (1 to 2^31-1).")
        long nodeId;

        @Option(names = "--listen", required = true, description = "host:port to serve gRPC on (port 0: any).")
        String listen;

        @Option(names = "--advertise", description = "host:port peers reach this node at (default: the listen address).")
        String advertise;

        @Option(names = "--data-dir", required = true, description = "Where the node keeps its identity and data.")
        Path dataDir;

        @Option(names = "--initial-cluster", description = "On a first start, the nodes that form the cluster:"
                + " 1=host:port,2=host:port,...")
        String initialCluster;

        @Option(names = "--join", description = "host:port of a member to join the cluster through.")
        String join;

        @Option(names = "--cluster-id", description = "The cluster's id (default: derived from --initial-cluster,"
                + " or learned when joining).")
        long clusterId;

        @Option(names = "--tick-ms", defaultValue = "100", description = "The engine's tick (default: ${DEFAULT-VALUE}).")
        long tickMs;

        @Option(names = "--election-ticks", defaultValue = "10",
                description = "Election timeout in ticks (default: ${DEFAULT-VALUE}).")
        int electionTicks;

        @Option(names = "--drain-timeout-ms", defaultValue = "10000",
                description = "How long a graceful stop tries to hand leaders away (default: ${DEFAULT-VALUE}).")
        long drainTimeoutMs;

        @Option(names = "--placement", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Run the placement driver while this node leads range 1 (default: on).")
        boolean placement;

        @Option(names = "--placement-interval-ms", defaultValue = "1000",
                description = "How often the placement driver looks at the cluster (default: ${DEFAULT-VALUE}).")
        long placementIntervalMs;

        @Option(names = "--suspect-after-ms", defaultValue = "10000",
                description = "A node silent this long gets no new replicas (default: ${DEFAULT-VALUE}).")
        long suspectAfterMs;

        @Option(names = "--dead-after-ms", defaultValue = "60000",
                description = "A node silent this long counts as dead (default: ${DEFAULT-VALUE}).")
        long deadAfterMs;

        @Option(names = "--replace-after-ms", defaultValue = "300000",
                description = "A dead node's replicas are re-created elsewhere after this long (default: ${DEFAULT-VALUE}).")
        long replaceAfterMs;

        @Option(names = "--max-operators-per-node", defaultValue = "4",
                description = "Placement operators loading one node at once (default: ${DEFAULT-VALUE}).")
        int maxOperatorsPerNode;

        @Option(names = "--max-operators", defaultValue = "16",
                description = "Placement operators running at once in the cluster (default: ${DEFAULT-VALUE}).")
        int maxOperators;

        @Option(names = "--labels", paramLabel = "KEY=VALUE[,...]",
                description = "What this node says about itself, e.g. zone=eu-1; leaders can be preferred by label.")
        String labels;

        @Option(names = "--config", paramLabel = "FILE", description = "A properties file with the same keys"
                + " (node-id=1, listen=...); flags win.")
        Path config;

        Start(ToIntFunction<NodeConfig> runner) {
            this.runner = runner;
        }

        @Override
        public Integer call() {
            NodeConfig cfg;
            try {
                cfg = toConfig();
                cfg.validate();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try {
                return runner.applyAsInt(cfg);
            } catch (DataDirRefusedException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return USAGE;
            }
        }

        NodeConfig toConfig() {
            if (drainTimeoutMs < 0) {
                throw new IllegalArgumentException("--drain-timeout-ms must not be negative");
            }
            InitialCluster initial = initialCluster == null ? null : InitialCluster.parse(initialCluster);
            NodeConfig base = initial != null ? NodeConfig.initial(nodeId, listen, dataDir, initial)
                    : NodeConfig.joining(nodeId, listen, dataDir, join);
            if (initial != null && join != null) {
                throw new IllegalArgumentException("give exactly one of --initial-cluster (to form a cluster) and"
                        + " --join (to join one)");
            }
            return base.withAdvertise(advertise).withClusterId(clusterId).withTiming(tickMs, electionTicks)
                    .withDrainTimeout(Duration.ofMillis(drainTimeoutMs))
                    .withPlacement(new PlacementOptions(placement, placementIntervalMs, suspectAfterMs, deadAfterMs,
                            replaceAfterMs, maxOperatorsPerNode, maxOperators, PlacementOptions.parseLabels(labels)));
        }
    }
}
