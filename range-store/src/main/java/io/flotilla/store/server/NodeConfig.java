package io.flotilla.store.server;

import io.flotilla.transport.raft.AddressBook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a node process is started with, in one place; {@link NodeMain} fills it from flags
 * and a config file, tests build it directly.
 *
 * @param nodeId           this node's id: positive, below 2^31 (range and replica ids embed it)
 * @param listen           host:port the gRPC server binds; port 0 picks a free one
 * @param advertise        host:port peers reach this node at; null: the bound address
 * @param dataDir          identity, peers and RocksDB live here
 * @param initialCluster   the nodes that form the cluster on its first start; null when joining
 * @param join             host:port of a member to join through; null with an initial cluster
 * @param clusterId        0: derived from the initial cluster (or learned when joining)
 * @param tickMillis       the engine's clock period
 * @param electionTicks    Raft election timeout in ticks
 * @param maxInboundBytes  the largest gRPC message the server accepts
 * @param drainTimeout     how long a graceful stop tries to hand its leaders away
 * @param replicaGcInterval how often the node looks for replicas removed while it was not told; zero: never
 * @param placement        how this node runs the placement driver when it leads range 1
 */
public record NodeConfig(long nodeId, String listen, String advertise, Path dataDir, InitialCluster initialCluster,
                         String join, long clusterId, long tickMillis, int electionTicks, int maxInboundBytes,
                         Duration drainTimeout, Duration replicaGcInterval, PlacementOptions placement) {

    public static final long DEFAULT_TICK_MILLIS = 100;
    public static final int DEFAULT_ELECTION_TICKS = 10;
    /** Room for the Raft transport's 16 MiB frames; KV requests are bounded far below by the store's limits. */
    public static final int DEFAULT_MAX_INBOUND_BYTES = 16 << 20;

    public NodeConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(replicaGcInterval, "replicaGcInterval");
        Objects.requireNonNull(placement, "placement");
    }

    /** A node of a cluster formed from {@code initial}, with default timing. */
    public static NodeConfig initial(long nodeId, String listen, Path dataDir, InitialCluster initial) {
        return new NodeConfig(nodeId, listen, null, dataDir, initial, null, 0, DEFAULT_TICK_MILLIS,
                DEFAULT_ELECTION_TICKS, DEFAULT_MAX_INBOUND_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(30),
                PlacementOptions.defaults());
    }

    /** A node that joins an existing cluster through {@code member}, with default timing. */
    public static NodeConfig joining(long nodeId, String listen, Path dataDir, String member) {
        return new NodeConfig(nodeId, listen, null, dataDir, null, member, 0, DEFAULT_TICK_MILLIS,
                DEFAULT_ELECTION_TICKS, DEFAULT_MAX_INBOUND_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(30),
                PlacementOptions.defaults());
    }

    public NodeConfig withTiming(long tickMs, int ticksPerElection) {
        return new NodeConfig(nodeId, listen, advertise, dataDir, initialCluster, join, clusterId, tickMs,
                ticksPerElection, maxInboundBytes, drainTimeout, replicaGcInterval, placement);
    }

    public NodeConfig withClusterId(long id) {
        return new NodeConfig(nodeId, listen, advertise, dataDir, initialCluster, join, id, tickMillis, electionTicks,
                maxInboundBytes, drainTimeout, replicaGcInterval, placement);
    }

    public NodeConfig withMaxInboundBytes(int bytes) {
        return new NodeConfig(nodeId, listen, advertise, dataDir, initialCluster, join, clusterId, tickMillis,
                electionTicks, bytes, drainTimeout, replicaGcInterval, placement);
    }

    public NodeConfig withDrainTimeout(Duration d) {
        return new NodeConfig(nodeId, listen, advertise, dataDir, initialCluster, join, clusterId, tickMillis,
                electionTicks, maxInboundBytes, d, replicaGcInterval, placement);
    }

    public NodeConfig withReplicaGcInterval(Duration d) {
        return new NodeConfig(nodeId, listen, advertise, dataDir, initialCluster, join, clusterId, tickMillis,
                electionTicks, maxInboundBytes, drainTimeout, d, placement);
    }

    public NodeConfig withAdvertise(String address) {
        return new NodeConfig(nodeId, listen, address, dataDir, initialCluster, join, clusterId, tickMillis,
                electionTicks, maxInboundBytes, drainTimeout, replicaGcInterval, placement);
    }

    public NodeConfig withListen(String address) {
        return new NodeConfig(nodeId, address, advertise, dataDir, initialCluster, join, clusterId, tickMillis,
                electionTicks, maxInboundBytes, drainTimeout, replicaGcInterval, placement);
    }

    public NodeConfig withPlacement(PlacementOptions options) {
        return new NodeConfig(nodeId, listen, advertise, dataDir, initialCluster, join, clusterId, tickMillis,
                electionTicks, maxInboundBytes, drainTimeout, replicaGcInterval, options);
    }

    /**
     * Checks the combination; throws {@link IllegalArgumentException} saying what is wrong.
     * (Whether the data directory fits is checked at start, against what it holds.)
     */
    public void validate() {
        checkNodeId(nodeId);
        checkHostPort("--listen", listen, true);
        if (advertise != null) {
            checkHostPort("--advertise", advertise, false);
        }
        if ((initialCluster == null) == (join == null)) {
            throw new IllegalArgumentException("give exactly one of --initial-cluster (to form a cluster) and --join"
                    + " (to join one)");
        }
        if (join != null) {
            checkHostPort("--join", join, false);
        }
        if (clusterId < 0) {
            throw new IllegalArgumentException("--cluster-id must be positive, got " + clusterId);
        }
        if (tickMillis < 1 || tickMillis > 10_000) {
            throw new IllegalArgumentException("--tick-ms must be between 1 and 10000, got " + tickMillis);
        }
        if (electionTicks < 2 || electionTicks > 1000) {
            throw new IllegalArgumentException("--election-ticks must be between 2 and 1000, got " + electionTicks);
        }
        if (maxInboundBytes < (1 << 20)) {
            throw new IllegalArgumentException("the largest inbound message must be at least 1 MiB, got " + maxInboundBytes);
        }
    }

    static void checkNodeId(long id) {
        if (id <= 0 || id >= (1L << 31)) {
            throw new IllegalArgumentException("node id must be between 1 and " + ((1L << 31) - 1) + ", got " + id);
        }
    }

    private static void checkHostPort(String flag, String value, boolean portZeroOk) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(flag + " '" + value + "' is not host:port");
        }
        if (portZeroOk && value.endsWith(":0")) {
            return;
        }
        try {
            AddressBook.validate(1, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " '" + value + "' is not host:port: "
                    + e.getMessage().replace("node 1: ", ""));
        }
    }

    /** Host and port of {@link #listen}. */
    public String listenHost() {
        String h = listen.substring(0, listen.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    public int listenPort() {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }
}
