package io.flotilla.store.server;

import io.flotilla.transport.proto.GetRequest;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.ListNodesRequest;
import io.flotilla.transport.proto.NodeState;
import io.flotilla.transport.proto.NodeStatus;
import io.flotilla.transport.proto.PutRequest;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.flotilla.transport.proto.TransferLeaderRequest;
import io.flotilla.transport.proto.WriteResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.flotilla.store.server.TestCluster.bs;
import static io.flotilla.store.server.TestCluster.retry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node's life: its identity survives restarts, a data directory of another node or cluster is
 * refused, a joined node restarts without its seed, and a graceful stop hands leaders away.
 */
class NodeLifecycleTest {
    @TempDir
    Path dir;

    private static NodeConfig fast(NodeConfig c) {
        return c.withTiming(10, 10).withDrainTimeout(Duration.ofSeconds(2)).withReplicaGcInterval(Duration.ZERO);
    }

    /** A one-node cluster on an ephemeral port, its data in {@code data}. */
    private static FlotillaNode single(long id, Path data, InitialCluster initial) {
        NodeServer server = NodeServer.bind("127.0.0.1", 0, NodeConfig.DEFAULT_MAX_INBOUND_BYTES);
        InitialCluster members = initial != null ? initial : new InitialCluster(Map.of(id, server.address()));
        NodeConfig cfg = fast(NodeConfig.initial(id, "127.0.0.1:0", data, members));
        try {
            return new FlotillaNode(cfg, RaftWiring.grpc(FlotillaNode.raftOptions(cfg.maxInboundBytes())), server).start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static <T> T withKv(FlotillaNode node, java.util.function.Function<KvGrpc.KvBlockingStub, T> call) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(node.address()).usePlaintext().build();
        try {
            return call.apply(KvGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aRestartedNodeKeepsItsIdentityItsDataAndNeverReusesARangeId() throws Exception {
        Path data = dir.resolve("n1");
        InitialCluster initial = new InitialCluster(Map.of(1L, "127.0.0.1:7"));
        long clusterId;
        long firstNewRange;
        try (FlotillaNode node = single(1, data, initial)) {
            clusterId = node.clusterId();
            assertThat(clusterId).isEqualTo(initial.derivedClusterId());
            WriteResponse put = withKv(node, kv -> retry(() -> kv.put(PutRequest.newBuilder().setKey(bs("kept"))
                    .setValue(bs("yes")).build()), WriteResponse::getError));
            assertThat(put.hasError()).isFalse();
            firstNewRange = split(node, "m");
        }
        assertThat(new DataDir(data).identity()).isEqualTo(new DataDir.Identity(1, clusterId, true));
        try (FlotillaNode again = single(1, data, initial)) {
            assertThat(again.clusterId()).isEqualTo(clusterId);
            assertThat(again.store().rangeIds()).as("no second bootstrap").hasSize(2);
            GetResponse r = withKv(again, kv -> retry(() -> kv.get(GetRequest.newBuilder().setKey(bs("kept")).build()),
                    GetResponse::getError));
            assertThat(r.getValue().toStringUtf8()).isEqualTo("yes");
            long secondNewRange = split(again, "t");
            assertThat(secondNewRange >>> 32).as("range ids carry the node id").isEqualTo(1);
            assertThat(secondNewRange).as("a restart never hands out an id again").isGreaterThan(firstNewRange);
        }
    }

    private static long split(FlotillaNode node, String key) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(node.address()).usePlaintext().build();
        try {
            var admin = io.flotilla.transport.proto.AdminGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
            SplitRangeResponse r = admin.splitRange(SplitRangeRequest.newBuilder().setSplitKey(bs(key)).build());
            assertThat(r.hasError()).as(r.getError().getMessage()).isFalse();
            return r.getRight().getRangeId();
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aDataDirOfAnotherClusterIsRefused() {
        Path data = dir.resolve("n1");
        single(1, data, new InitialCluster(Map.of(1L, "127.0.0.1:7"))).close();
        assertThatThrownBy(() -> single(1, data, new InitialCluster(Map.of(1L, "127.0.0.1:8"))))
                .isInstanceOf(DataDirRefusedException.class).hasMessageContaining("belongs to cluster");
        NodeServer server = NodeServer.bind("127.0.0.1", 0, NodeConfig.DEFAULT_MAX_INBOUND_BYTES);
        NodeConfig otherId = fast(NodeConfig.initial(1, "127.0.0.1:0", data,
                new InitialCluster(Map.of(1L, "127.0.0.1:7")))).withClusterId(99);
        assertThatThrownBy(() -> new FlotillaNode(otherId, RaftWiring.grpc(FlotillaNode.raftOptions(16 << 20)), server)
                .start()).isInstanceOf(DataDirRefusedException.class).hasMessageContaining("belongs to cluster");
        server.close();
    }

    @Test
    void aDataDirOfAnotherNodeOrWithForeignFilesIsRefused() throws Exception {
        Path data = dir.resolve("n1");
        single(1, data, new InitialCluster(Map.of(1L, "127.0.0.1:7"))).close();
        assertThatThrownBy(() -> single(2, data, new InitialCluster(Map.of(2L, "127.0.0.1:7"))))
                .isInstanceOf(DataDirRefusedException.class).hasMessageContaining("belongs to node 1");

        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "not a node");
        assertThatThrownBy(() -> single(1, foreign, null)).isInstanceOf(DataDirRefusedException.class)
                .hasMessageContaining("holds no Flotilla node identity");
        assertThat(Files.readString(foreign.resolve("notes.txt"))).as("left untouched").isEqualTo("not a node");
    }

    @Test
    void aNodeMissingFromTheInitialClusterIsToldToJoin() {
        assertThatThrownBy(() -> single(3, dir.resolve("n3"), new InitialCluster(Map.of(1L, "127.0.0.1:7"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--join");
    }

    @Test
    void aJoinedNodeRestartsWithItsClusterIdEvenWhenItsSeedIsDown() {
        try (TestCluster cluster = TestCluster.start(dir.resolve("c"), 1, TestCluster.Raft.IN_MEMORY)) {
            FlotillaNode two = cluster.join(2, 1);
            long clusterId = cluster.node(1).clusterId();
            assertThat(two.clusterId()).isEqualTo(clusterId);
            String seed = cluster.node(1).address();
            cluster.stop(2);
            cluster.stop(1);
            NodeServer server = NodeServer.bind("127.0.0.1", 0, NodeConfig.DEFAULT_MAX_INBOUND_BYTES);
            NodeConfig cfg = fast(NodeConfig.joining(2, "127.0.0.1:0", dir.resolve("c").resolve("n2"), seed));
            try (FlotillaNode again = new FlotillaNode(cfg, cluster.wiring(), server).start()) {
                assertThat(again.clusterId()).isEqualTo(clusterId);
                assertThat(again.addressBook().get(1)).as("peers are remembered").isEqualTo(seed);
            }
        }
    }

    @Test
    void aDrainingNodeHandsEveryLeaderAwayAndSaysSo() {
        try (TestCluster cluster = TestCluster.start(dir.resolve("c"), 3, TestCluster.Raft.GRPC)) {
            var admin = cluster.admin(1);
            for (String k : new String[] {"d", "h", "p"}) {
                SplitRangeResponse r = admin.splitRange(SplitRangeRequest.newBuilder().setSplitKey(bs(k)).build());
                assertThat(r.hasError()).as(r.getError().getMessage()).isFalse();
            }
            for (long range : cluster.node(1).store().rangeIds()) {
                cluster.awaitLeader(range);
                var moved = retry(() -> admin.transferLeader(TransferLeaderRequest.newBuilder().setRangeId(range)
                        .setToNodeId(3).build()), io.flotilla.transport.proto.ChangeResponse::getError);
                assertThat(moved.getLeaderNodeId()).isEqualTo(3);
            }
            FlotillaNode three = cluster.node(3);
            assertThat(three.drain()).as("ranges still led when the drain gave up").isZero();
            for (long range : three.store().rangeIds()) {
                assertThat(three.store().engine().info(range).role()).isNotEqualTo(io.flotilla.raft.StateRole.LEADER);
                assertThat(cluster.leaderNow(range)).isIn(1L, 2L);
            }
            NodeStatus status = cluster.admin(1).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList().stream()
                    .filter(n -> n.getNodeId() == 3).findFirst().orElseThrow();
            assertThat(status.getState()).isEqualTo(NodeState.NODE_DRAINING);
        }
    }
}
