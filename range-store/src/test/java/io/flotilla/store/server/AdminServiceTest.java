package io.flotilla.store.server;

import io.flotilla.transport.proto.AddReplicaRequest;
import io.flotilla.transport.proto.ChangeResponse;
import io.flotilla.transport.proto.ClusterHealthRequest;
import io.flotilla.transport.proto.ClusterHealthResponse;
import io.flotilla.transport.proto.GetRequest;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.JoinRequest;
import io.flotilla.transport.proto.JoinResponse;
import io.flotilla.transport.proto.ListNodesRequest;
import io.flotilla.transport.proto.ListNodesResponse;
import io.flotilla.transport.proto.ListRangesRequest;
import io.flotilla.transport.proto.ListRangesResponse;
import io.flotilla.transport.proto.LocateResponse;
import io.flotilla.transport.proto.MoveReplicaRequest;
import io.flotilla.transport.proto.NodeAddress;
import io.flotilla.transport.proto.NodeState;
import io.flotilla.transport.proto.NodeStatus;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.RemoveReplicaRequest;
import io.flotilla.transport.proto.Replica;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.flotilla.transport.proto.TransferLeaderRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.flotilla.store.server.TestCluster.bs;
import static io.flotilla.store.server.TestCluster.retry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Admin API over real gRPC on three initial nodes and a fourth that joins: splits, leader
 * transfers and replica changes through any node, and the cluster views. The last test stops
 * a node, so the order is fixed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminServiceTest {
    @TempDir
    static Path dir;
    private TestCluster cluster;

    @BeforeAll
    void start() {
        cluster = TestCluster.start(dir, 3, TestCluster.Raft.GRPC);
        cluster.join(4, 2);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    /** Splits off a range of its own for a test, so tests do not disturb one another. */
    private io.flotilla.transport.proto.RangeDescriptor ownRange(String prefix) {
        SplitRangeResponse r = cluster.admin(1).splitRange(SplitRangeRequest.newBuilder().setSplitKey(bs(prefix)).build());
        assertThat(r.hasError()).as(r.getError().getMessage()).isFalse();
        SplitRangeResponse end = cluster.admin(1).splitRange(SplitRangeRequest.newBuilder()
                .setSplitKey(bs(prefix + "\uffff")).build());
        assertThat(end.hasError()).as(end.getError().getMessage()).isFalse();
        cluster.awaitLeader(r.getRight().getRangeId());
        return cluster.locate(1, prefix).getRange();
    }

    private ChangeResponse change(java.util.function.Supplier<ChangeResponse> call) {
        ChangeResponse r = retry(call, ChangeResponse::getError);
        assertThat(r.hasError()).as(r.getError().getMessage()).isFalse();
        return r;
    }

    private static Set<Long> nodesOf(io.flotilla.transport.proto.RangeDescriptor d) {
        Set<Long> out = new HashSet<>();
        for (Replica r : d.getReplicasList()) {
            out.add(r.getNodeId());
        }
        return out;
    }

    @Test
    @Order(1)
    void aJoinedNodeKnowsTheClusterAndEveryNodeKnowsIt() {
        assertThat(cluster.node(4).clusterId()).isEqualTo(cluster.node(1).clusterId());
        assertThat(cluster.node(4).store().rangeIds()).as("a joined node starts with no range").isEmpty();
        for (long id : List.of(1L, 2L, 3L)) {
            TestCluster.await(() -> cluster.node(id).addressBook().get(4) != null, "node " + id + " learned node 4");
            assertThat(cluster.node(id).addressBook().get(4)).isEqualTo(cluster.node(4).address());
        }
    }

    @Test
    @Order(1)
    void aJoinFromAnotherClusterOrWithALiveNodesIdIsRefused() {
        var admin = cluster.admin(1);
        JoinResponse otherCluster = admin.join(JoinRequest.newBuilder().setClusterId(cluster.node(1).clusterId() + 1)
                .setNode(NodeAddress.newBuilder().setNodeId(9).setAddress("127.0.0.1:9")).build());
        assertThat(otherCluster.getError().hasInvalidArgument()).isTrue();
        JoinResponse taken = admin.join(JoinRequest.newBuilder()
                .setNode(NodeAddress.newBuilder().setNodeId(2).setAddress("127.0.0.1:9")).build());
        assertThat(taken.getError().getMessage()).contains("taken by the live node");
        JoinResponse self = admin.join(JoinRequest.newBuilder()
                .setNode(NodeAddress.newBuilder().setNodeId(1).setAddress("127.0.0.1:9")).build());
        assertThat(self.getError().hasInvalidArgument()).isTrue();
        assertThat(cluster.node(1).addressBook().get(2)).as("nothing changed").isEqualTo(cluster.node(2).address());
        assertThat(cluster.node(1).addressBook().get(9)).isNull();
    }

    @Test
    @Order(2)
    void aSplitAskedOfAnyNodeIsCarriedOutByTheLeader() {
        cluster.put("split/a", "1");
        cluster.put("split/z", "2");
        long leader = cluster.locate(1, "split/a").getLeaderNodeId();
        long follower = leader == 3 ? 2 : 3;
        SplitRangeResponse r = cluster.admin(follower).splitRange(SplitRangeRequest.newBuilder()
                .setSplitKey(bs("split/m")).build());
        assertThat(r.hasError()).as(r.getError().getMessage()).isFalse();
        assertThat(r.getLeft().getEndKey().toStringUtf8()).isEqualTo("split/m");
        assertThat(r.getRight().getStartKey().toStringUtf8()).isEqualTo("split/m");
        assertThat(r.getRight().getRangeId()).isNotEqualTo(r.getLeft().getRangeId());
        assertThat(r.getRight().getVersion()).isEqualTo(r.getLeft().getVersion());
        LocateResponse z = cluster.locate(4, "split/z");
        assertThat(z.getRange().getRangeId()).as("node 4, holding nothing, asks its peers").isEqualTo(
                r.getRight().getRangeId());

        SplitRangeResponse atStart = cluster.admin(1).splitRange(SplitRangeRequest.newBuilder()
                .setSplitKey(bs("split/m")).build());
        assertThat(atStart.getError().hasInvalidArgument()).as("a key at a range's start splits nothing").isTrue();
        SplitRangeResponse empty = cluster.admin(1).splitRange(SplitRangeRequest.getDefaultInstance());
        assertThat(empty.getError().hasInvalidArgument()).isTrue();
    }

    @Test
    @Order(3)
    void leadershipMovesToTheNodeAskedFor() {
        var range = ownRange("lead/");
        long leader = cluster.awaitLeader(range.getRangeId());
        long target = leader % 3 + 1;
        ChangeResponse r = change(() -> cluster.admin(4).transferLeader(TransferLeaderRequest.newBuilder()
                .setRangeId(range.getRangeId()).setToNodeId(target).build()));
        assertThat(r.getLeaderNodeId()).isEqualTo(target);
        assertThat(cluster.leaderNow(range.getRangeId())).isEqualTo(target);
        ChangeResponse toStranger = cluster.admin(1).transferLeader(TransferLeaderRequest.newBuilder()
                .setRangeId(range.getRangeId()).setToNodeId(4).build());
        assertThat(toStranger.getError().hasInvalidArgument()).as("node 4 holds no replica").isTrue();
    }

    @Test
    @Order(3)
    void requestsForUnknownRangesOrNodesGetTypedErrorsAndChangeNothing() {
        var admin = cluster.admin(2);
        ChangeResponse noRange = admin.transferLeader(TransferLeaderRequest.newBuilder().setRangeId(987654)
                .setToNodeId(1).build());
        assertThat(noRange.getError().hasRangeNotFound()).as(noRange.toString()).isTrue();
        ChangeResponse noNode = admin.addReplica(AddReplicaRequest.newBuilder().setRangeId(1).setNodeId(77).build());
        assertThat(noNode.getError().hasInvalidArgument()).as(noNode.toString()).isTrue();
        ChangeResponse nothing = admin.removeReplica(RemoveReplicaRequest.getDefaultInstance());
        assertThat(nothing.getError().hasInvalidArgument()).isTrue();
        ChangeResponse sameNode = admin.moveReplica(MoveReplicaRequest.newBuilder().setRangeId(1).setFromNodeId(1)
                .setToNodeId(1).build());
        assertThat(sameNode.getError().hasInvalidArgument()).isTrue();
        assertThat(cluster.locate(1, "a").getRange().getReplicasCount()).as("range 1 unchanged").isEqualTo(3);
    }

    @Test
    @Order(4)
    void aReplicaIsAddedCaughtUpPromotedRemovedAndItsReplicaIdNeverReturns() {
        var range = ownRange("add/");
        cluster.put("add/k", "v");
        ChangeResponse added = change(() -> cluster.admin(3).addReplica(AddReplicaRequest.newBuilder()
                .setRangeId(range.getRangeId()).setNodeId(4).build()));
        assertThat(nodesOf(added.getRange())).contains(4L);
        Replica first = added.getRange().getReplicasList().stream().filter(x -> x.getNodeId() == 4).findFirst()
                .orElseThrow();
        assertThat(first.getLearner()).as("promoted once caught up").isFalse();
        GetResponse read = retry(() -> cluster.kv(4).get(GetRequest.newBuilder().setKey(bs("add/k")).build()),
                GetResponse::getError);
        assertThat(read.getValue().toStringUtf8()).as("node 4 has the data").isEqualTo("v");

        ChangeResponse removed = change(() -> cluster.admin(1).removeReplica(RemoveReplicaRequest.newBuilder()
                .setRangeId(range.getRangeId()).setNodeId(4).build()));
        assertThat(nodesOf(removed.getRange())).doesNotContain(4L);
        TestCluster.await(() -> cluster.node(4).store().range(range.getRangeId()) == null,
                "node 4 destroyed its removed replica");

        ChangeResponse again = change(() -> cluster.admin(2).addReplica(AddReplicaRequest.newBuilder()
                .setRangeId(range.getRangeId()).setNodeId(4).setLearner(true).build()));
        Replica second = again.getRange().getReplicasList().stream().filter(x -> x.getNodeId() == 4).findFirst()
                .orElseThrow();
        assertThat(second.getLearner()).isTrue();
        assertThat(second.getReplicaId()).as("a removed replica's id is never used again").isNotEqualTo(
                first.getReplicaId());
        change(() -> cluster.admin(2).removeReplica(RemoveReplicaRequest.newBuilder()
                .setRangeId(range.getRangeId()).setNodeId(4).build()));
    }

    @Test
    @Order(5)
    void removingTheLeadersOwnReplicaHandsLeadershipAwayFirst() {
        var range = ownRange("self/");
        long leader = cluster.awaitLeader(range.getRangeId());
        change(() -> cluster.admin(4).addReplica(AddReplicaRequest.newBuilder().setRangeId(range.getRangeId())
                .setNodeId(4).build()));
        ChangeResponse r = change(() -> cluster.admin(leader).removeReplica(RemoveReplicaRequest.newBuilder()
                .setRangeId(range.getRangeId()).setNodeId(leader).build()));
        assertThat(nodesOf(r.getRange())).doesNotContain(leader).hasSize(3);
        assertThat(r.getLeaderNodeId()).isNotEqualTo(leader).isNotZero();
        cluster.put("self/after", "ok");
    }

    @Test
    @Order(6)
    void aMovedReplicaLeavesItsSourceNode() {
        var range = ownRange("move/");
        cluster.put("move/k", "v");
        long from = nodesOf(range).stream().filter(n -> n != 4).findFirst().orElseThrow();
        ChangeResponse r = change(() -> cluster.admin(1).moveReplica(MoveReplicaRequest.newBuilder()
                .setRangeId(range.getRangeId()).setFromNodeId(from).setToNodeId(4).build()));
        assertThat(nodesOf(r.getRange())).contains(4L).doesNotContain(from).hasSize(3);
        assertThat(r.getRange().getReplicasList()).noneMatch(Replica::getLearner);
        TestCluster.await(() -> cluster.node(from).store().range(range.getRangeId()) == null,
                "node " + from + " destroyed the replica that moved away");
        GetResponse read = retry(() -> cluster.kv(4).get(GetRequest.newBuilder().setKey(bs("move/k")).build()),
                GetResponse::getError);
        assertThat(read.getValue().toStringUtf8()).isEqualTo("v");
    }

    @Test
    @Order(7)
    void listRangesMergesEveryNodesViewAndPages() {
        ListRangesResponse all = cluster.admin(4).listRanges(ListRangesRequest.getDefaultInstance());
        assertThat(all.hasError()).isFalse();
        assertThat(all.getRangesCount()).as("range 1 and the splits so far").isGreaterThanOrEqualTo(6);
        List<RangeStatus> ranges = all.getRangesList();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).getRange().getStartKey()).as("contiguous, ordered by start key")
                    .isEqualTo(ranges.get(i - 1).getRange().getEndKey());
        }
        assertThat(ranges.get(0).getRange().getStartKey().isEmpty()).isTrue();
        assertThat(ranges.get(ranges.size() - 1).getRange().getEndKey().isEmpty()).isTrue();
        TestCluster.await(() -> cluster.admin(1).listRanges(ListRangesRequest.getDefaultInstance()).getRangesList()
                .stream().allMatch(s -> s.getLeaderNodeId() != 0 && s.getTerm() > 0), "every range reports a leader");
        for (RangeStatus s : ranges) {
            assertThat(s.getRange().getReplicasCount()).isEqualTo(3);
        }

        ListRangesResponse page1 = cluster.admin(2).listRanges(ListRangesRequest.newBuilder().setPageSize(2).build());
        assertThat(page1.getRangesCount()).isEqualTo(2);
        assertThat(page1.getNextPageToken()).isEqualTo(ranges.get(2).getRange().getStartKey());
        ListRangesResponse page2 = cluster.admin(2).listRanges(ListRangesRequest.newBuilder().setPageSize(2)
                .setPageToken(page1.getNextPageToken()).build());
        assertThat(page2.getRanges(0).getRange().getRangeId()).isEqualTo(ranges.get(2).getRange().getRangeId());
    }

    @Test
    @Order(8)
    void listNodesAndHealthReportEveryNodeAndItsRanges() {
        ListNodesResponse nodes = cluster.admin(1).listNodes(ListNodesRequest.getDefaultInstance());
        assertThat(nodes.getNodesList()).extracting(NodeStatus::getNodeId).containsExactly(1L, 2L, 3L, 4L);
        assertThat(nodes.getNodesList()).allMatch(n -> n.getState() == NodeState.NODE_UP);
        int ranges = cluster.admin(1).listRanges(ListRangesRequest.getDefaultInstance()).getRangesCount();
        assertThat(nodes.getNodesList().stream().mapToInt(NodeStatus::getRangeCount).sum())
                .as("three replicas per range").isEqualTo(3 * ranges);
        TestCluster.await(() -> cluster.admin(1).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList()
                .stream().mapToInt(NodeStatus::getLeaderCount).sum() == ranges, "one leader per range");
        assertThat(nodes.getNodes(3).getAddress()).isEqualTo(cluster.node(4).address());

        ClusterHealthResponse healthy = cluster.admin(3).clusterHealth(ClusterHealthRequest.getDefaultInstance());
        assertThat(healthy.getHealthy()).as(healthy.toString()).isTrue();
        assertThat(healthy.getNodesUp()).isEqualTo(4);
        assertThat(healthy.getRanges()).isEqualTo(ranges);
    }

    @Test
    @Order(9)
    void aStoppedNodeIsReportedDownAndItsRangesUnderReplicated() {
        List<Long> onFour = cluster.node(4).store().rangeIds().stream().toList();
        assertThat(onFour).as("earlier tests left replicas on node 4").isNotEmpty();
        cluster.stop(4);
        ListNodesResponse nodes = cluster.admin(1).listNodes(ListNodesRequest.getDefaultInstance());
        NodeStatus four = nodes.getNodesList().stream().filter(n -> n.getNodeId() == 4).findFirst().orElseThrow();
        assertThat(four.getState()).isIn(NodeState.NODE_SUSPECT, NodeState.NODE_DEAD);
        ClusterHealthResponse health = cluster.admin(2).clusterHealth(ClusterHealthRequest.getDefaultInstance());
        assertThat(health.getHealthy()).isFalse();
        assertThat(health.getNodesDown()).isEqualTo(1);
        assertThat(health.getUnderReplicatedList()).extracting(s -> s.getRange().getRangeId())
                .containsAll(onFour);
        assertThat(health.getWithoutLeaderList()).as("every range keeps a quorum").isEmpty();
    }
}
