package io.flotilla.store.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A cluster of Flotilla node processes on 127.0.0.1, each a child JVM running
 * {@code io.flotilla.store.server.NodeMain start} with its own data directory and log file. The
 * demo and the multi-process tests use it; kill is a real SIGKILL, stop a real SIGTERM (the
 * node drains its leaders first).
 */
public final class ProcessCluster implements AutoCloseable {
    static final String NODE_MAIN = "io.flotilla.store.server.NodeMain";

    private final Path baseDir;
    private final Map<Long, Integer> ports = new LinkedHashMap<>();
    private final Map<Long, Process> processes = new LinkedHashMap<>();
    /** Nodes added after the start, and the member each joined through. */
    private final Map<Long, String> joinedThrough = new LinkedHashMap<>();
    private final List<String> extraArgs;
    private final String heap;
    private final String initialCluster;
    private final String classpath;

    private ProcessCluster(Path baseDir, int nodes, int basePort, List<String> extraArgs, String heap,
                           String classpath) {
        this.baseDir = baseDir;
        this.classpath = classpath;
        this.extraArgs = List.copyOf(extraArgs);
        this.heap = heap;
        StringJoiner initial = new StringJoiner(",");
        for (long id = 1; id <= nodes; id++) {
            int port = basePort == 0 ? freePort() : basePort + (int) id - 1;
            ports.put(id, port);
            initial.add(id + "=127.0.0.1:" + port);
        }
        this.initialCluster = initial.toString();
    }

    /**
     * Starts {@code nodes} node processes that form one cluster and waits until each listens.
     *
     * @param basePort  node i listens on basePort + i - 1; 0 picks free ports
     * @param extraArgs further flags for every node (for example {@code --tick-ms=50})
     * @param heap      the child JVMs' -Xmx, e.g. "512m"
     */
    public static ProcessCluster start(Path baseDir, int nodes, int basePort, List<String> extraArgs, String heap,
                                       Duration startTimeout) {
        // A test runner's class path may not hold the node; it names one that does.
        String classpath = System.getProperty("flotilla.node.classpath", System.getProperty("java.class.path"));
        return start(baseDir, nodes, basePort, extraArgs, heap, classpath, startTimeout);
    }

    /** As above, with the children's class path given (a test runner's own may not hold the node). */
    public static ProcessCluster start(Path baseDir, int nodes, int basePort, List<String> extraArgs, String heap,
                                       String classpath, Duration startTimeout) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
        }
        if (basePort != 0) {
            for (int port = basePort; port < basePort + nodes; port++) {
                requireFree(port);
            }
        }
        ProcessCluster c = new ProcessCluster(baseDir, nodes, basePort, extraArgs, heap, classpath);
        try {
            for (long id : c.ports.keySet()) {
                c.launch(id);
            }
            for (long id : c.ports.keySet()) {
                c.awaitListening(id, startTimeout);
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** host:port of every node, by node id. */
    public Map<Long, String> addresses() {
        Map<Long, String> out = new LinkedHashMap<>();
        ports.forEach((id, port) -> out.put(id, "127.0.0.1:" + port));
        return out;
    }

    public List<String> seeds() {
        return new ArrayList<>(addresses().values());
    }

    public String initialCluster() {
        return initialCluster;
    }

    public Path logFile(long nodeId) {
        return baseDir.resolve("node-" + nodeId + ".log");
    }

    public Path dataDir(long nodeId) {
        return baseDir.resolve("node-" + nodeId);
    }

    public boolean isRunning(long nodeId) {
        Process p = processes.get(nodeId);
        return p != null && p.isAlive();
    }

    /** SIGKILL: the node gets no chance to flush or drain. */
    public void kill(long nodeId) {
        Process p = processes.get(nodeId);
        if (p != null) {
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then wait: the node transfers its leaders away and stops. */
    public void stop(long nodeId, Duration timeout) {
        Process p = processes.get(nodeId);
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!waitFor(p, timeout)) {
                p.destroyForcibly();
                waitFor(p, Duration.ofSeconds(30));
            }
        }
    }

    /**
     * Starts a new, empty node that joins the running cluster through a running member, and
     * waits until it listens; placement then gives it replicas.
     */
    public void addNode(long nodeId, Duration startTimeout) {
        if (ports.containsKey(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is already part of this cluster");
        }
        String member = null;
        for (long id : ports.keySet()) {
            if (isRunning(id)) {
                member = addresses().get(id);
                break;
            }
        }
        if (member == null) {
            throw new IllegalStateException("no running node to join through");
        }
        ports.put(nodeId, freePort());
        joinedThrough.put(nodeId, member);
        launch(nodeId);
        awaitListening(nodeId, startTimeout);
    }

    /** Starts a stopped or killed node again on the same port and data directory. */
    public void restart(long nodeId, Duration startTimeout) {
        if (isRunning(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " is still running");
        }
        launch(nodeId);
        awaitListening(nodeId, startTimeout);
    }

    private void launch(long nodeId) {
        try {
            Files.createDirectories(baseDir);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + heap);
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(NODE_MAIN);
            cmd.add("start");
            cmd.add("--node-id=" + nodeId);
            cmd.add("--listen=127.0.0.1:" + ports.get(nodeId));
            cmd.add("--data-dir=" + dataDir(nodeId));
            String member = joinedThrough.get(nodeId);
            cmd.add(member == null ? "--initial-cluster=" + initialCluster : "--join=" + member);
            cmd.addAll(extraArgs);
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(nodeId).toFile()))
                    .start();
            processes.put(nodeId, p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + nodeId, e);
        }
    }

    private void awaitListening(long nodeId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int port = ports.get(nodeId);
        while (System.nanoTime() < deadline) {
            Process p = processes.get(nodeId);
            if (!p.isAlive()) {
                throw new IllegalStateException("node " + nodeId + " exited with " + p.exitValue() + " while starting; see "
                        + logFile(nodeId));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(50_000_000);
            }
        }
        throw new IllegalStateException("node " + nodeId + " did not listen on " + port + " within " + timeout
                + "; see " + logFile(nodeId));
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use (another demo running?);"
                    + " pick others with --base-port", e);
        }
    }

    /** A port free right now on 127.0.0.1; the node binds it moments later. */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Stops every node gracefully (in parallel), then kills what did not stop. */
    @Override
    public void close() {
        for (Process p : processes.values()) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : processes.values()) {
            if (!waitFor(p, Duration.ofSeconds(20))) {
                p.destroyForcibly();
                waitFor(p, Duration.ofSeconds(10));
            }
        }
    }
}
