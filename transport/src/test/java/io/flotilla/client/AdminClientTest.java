package io.flotilla.client;

import static io.flotilla.client.FakeCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.client.admin.NodeState;
import io.flotilla.client.admin.RangePage;
import io.flotilla.client.admin.RangeStatusInfo;
import io.flotilla.client.admin.SplitResult;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules: admin calls go to any node that answers, listings follow every page, server errors come back typed. */
class AdminClientTest {
    private final FakeCluster cluster = new FakeCluster();
    private FakeNode n1;

    @BeforeEach
    void start() throws Exception {
        n1 = cluster.startNodes(1).get(0);
        cluster.addRange(1, "", "b", 1, 1);
        cluster.addRange(2, "b", "d", 1, 1);
        cluster.addRange(3, "d", "f", 1, 1);
        cluster.addRange(4, "f", "h", 1, 1);
        cluster.addRange(5, "h", "", 1, 1);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void listRangesFollowsEveryPageInKeyOrder() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            List<RangeStatusInfo> ranges = client.admin().listRanges();

            assertThat(ranges).extracting(r -> r.range().rangeId()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(ranges.get(4).range().span()).isEqualTo("[\"h\", end)");
            assertThat(n1.count("ListRanges")).as("pages of " + FakeNode.MAX_PAGE).isEqualTo(3);
        }
    }

    @Test
    void thePagedListingHandsBackTheTokenForTheNextPage() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            RangePage first = client.admin().listRanges(null, 2);
            RangePage second = client.admin().listRanges(first.nextPageToken().orElseThrow(), 2);

            assertThat(first.ranges()).extracting(r -> r.range().rangeId()).containsExactly(1L, 2L);
            assertThat(second.ranges()).extracting(r -> r.range().rangeId()).containsExactly(3L, 4L);
            assertThat(second.nextPageToken()).hasValueSatisfying(t -> assertThat(t).isEqualTo(bytes("h")));
        }
    }

    @Test
    void anUnreachableSeedIsSkippedForAnother() throws Exception {
        try (FlotillaClient client = TestClients.client(FakeCluster.deadAddress(), n1.address())) {
            assertThat(client.admin().listNodes()).singleElement()
                    .satisfies(node -> assertThat(node.state()).isEqualTo(NodeState.UP));
            assertThat(client.admin().clusterHealth().healthy()).isTrue();
        }
    }

    @Test
    void unavailableFromANodeIsRetried() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            n1.script("ClusterHealth", request -> {
                throw Status.UNAVAILABLE.withDescription("restarting").asRuntimeException();
            });
            assertThat(client.admin().clusterHealth().ranges()).isEqualTo(5);
            assertThat(n1.count("ClusterHealth")).isEqualTo(2);
        }
    }

    @Test
    void splitReturnsBothHalves() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            SplitResult split = client.admin().split(bytes("c"));

            assertThat(split.left().span()).isEqualTo("[\"b\", \"c\")");
            assertThat(split.right().span()).isEqualTo("[\"c\", \"d\")");
            assertThat(split.right().version()).isEqualTo(2);
        }
    }

    @Test
    void aServerErrorComesBackTypedAndIsNotRetried() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            n1.script("SplitRange", request -> SplitRangeResponse.newBuilder()
                    .setError(FakeNode.invalidArgument("split key is a range boundary")).build());

            assertThatThrownBy(() -> client.admin().split(bytes("b")))
                    .isInstanceOf(FlotillaException.InvalidArgument.class)
                    .hasMessageContaining("range boundary");
            assertThat(n1.count("SplitRange")).isEqualTo(1);
        }
    }

    @Test
    void aSplitThatRacedAMovingClusterIsSentAgain() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            // The node resolved the key with a split not yet applied there, then leadership moved.
            n1.script("SplitRange", request -> SplitRangeResponse.newBuilder()
                    .setError(FakeNode.keyNotInRange(com.google.protobuf.ByteString.copyFrom(bytes("c")))).build());
            n1.script("SplitRange", request -> SplitRangeResponse.newBuilder()
                    .setError(FakeNode.notLeader(2, 1, n1.address())).build());

            SplitResult split = client.admin().split(bytes("c"));

            assertThat(split.right().span()).isEqualTo("[\"c\", \"d\")");
            assertThat(n1.count("SplitRange")).isEqualTo(3);
        }
    }

    @Test
    void badArgumentsFailBeforeAnyCall() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThatThrownBy(() -> client.admin().moveReplica(1, 2, 2))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThatThrownBy(() -> client.admin().transferLeader(0, 2))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThatThrownBy(() -> client.admin().listRanges(null, 0))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThatThrownBy(() -> client.admin().split(null))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
        }
    }

    @Test
    void aChangeThatIsNotImplementedFailsTyped() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            // The fake has no TransferLeader: gRPC answers UNIMPLEMENTED, which no retry can fix.
            assertThatThrownBy(() -> client.admin().transferLeader(1, 2))
                    .isInstanceOf(FlotillaException.RpcFailed.class)
                    .hasMessageContaining("UNIMPLEMENTED");
        }
    }
}
