package io.flotilla.store.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A node's data directory: its identity ({@value #IDENTITY}: node id, cluster id, whether it
 * bootstrapped its initial range), the peers it knows ({@value #PEERS}) and its RocksDB
 * ({@code db/}). The identity is written on the first start and checked on every later one, so
 * a node never starts on another node's or another cluster's data. Files are replaced
 * atomically (write, then rename), so a crash leaves the old or the new one, never half.
 */
public final class DataDir {
    static final String IDENTITY = "node.properties";
    static final String PEERS = "peers.properties";
    static final String DECISIONS = "decisions.properties";

    /** What the identity file says. */
    public record Identity(long nodeId, long clusterId, boolean bootstrapped) {
    }

    private final Path root;

    public DataDir(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path db() {
        return root.resolve("db");
    }

    /** The stored identity, or null on a first start. */
    public Identity identity() {
        Path f = root.resolve(IDENTITY);
        if (!Files.exists(f)) {
            return null;
        }
        Properties p = load(f);
        try {
            return new Identity(Long.parseLong(p.getProperty("node.id")), Long.parseUnsignedLong(p.getProperty("cluster.id")),
                    Boolean.parseBoolean(p.getProperty("bootstrapped", "false")));
        } catch (RuntimeException e) {
            throw new DataDirRefusedException("the identity file " + f + " is damaged: " + e.getMessage());
        }
    }

    /** Whether the directory is missing or holds nothing at all. */
    public boolean isEmpty() {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data directory " + root, e);
        }
    }

    public void writeIdentity(Identity id) {
        Properties p = new Properties();
        p.setProperty("node.id", Long.toString(id.nodeId()));
        p.setProperty("cluster.id", Long.toUnsignedString(id.clusterId()));
        p.setProperty("bootstrapped", Boolean.toString(id.bootstrapped()));
        store(root.resolve(IDENTITY), p, "Flotilla node identity: do not edit; a node refuses data of another node or cluster");
    }

    /** Peers' addresses as last known (node id to host:port). */
    public Map<Long, String> peers() {
        Path f = root.resolve(PEERS);
        Map<Long, String> out = new TreeMap<>();
        if (!Files.exists(f)) {
            return out;
        }
        load(f).forEach((k, v) -> {
            try {
                out.put(Long.parseLong(k.toString()), v.toString());
            } catch (NumberFormatException ignored) {
                // not an entry of ours
            }
        });
        return out;
    }

    public void writePeers(Map<Long, String> peers) {
        Properties p = new Properties();
        peers.forEach((id, address) -> p.setProperty(Long.toString(id), address));
        store(root.resolve(PEERS), p, "Flotilla: addresses of the peers this node knows");
    }

    /** What operators decided about this node and placement, as last recorded here (empty on a first start). */
    public Map<String, String> decisions() {
        Path f = root.resolve(DECISIONS);
        Map<String, String> out = new TreeMap<>();
        if (Files.exists(f)) {
            load(f).forEach((k, v) -> out.put(k.toString(), v.toString()));
        }
        return out;
    }

    public void writeDecisions(Map<String, String> decisions) {
        Properties p = new Properties();
        p.putAll(decisions);
        store(root.resolve(DECISIONS), p, "Flotilla: this node's admin state and the placement setting it was told");
    }

    private static Properties load(Path f) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        return p;
    }

    private void store(Path f, Properties p, String comment) {
        try {
            Files.createDirectories(root);
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, comment);
                out.flush();
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }
}
