package io.flotilla.client;

import static io.flotilla.client.FakeCluster.bytes;
import static io.flotilla.client.FakeCluster.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.RangeNotFound;
import io.flotilla.transport.proto.RequestHeader;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules: a stale epoch is corrected from the descriptors the error carries; a lost route is located again. */
class EpochRoutingTest {
    private final FakeCluster cluster = new FakeCluster();
    private FakeNode n1;

    @BeforeEach
    void start() throws Exception {
        n1 = cluster.startNodes(1).get(0);
        cluster.addRange(1, "", "", 1, 1);
        cluster.put("a", "1");
        cluster.put("x", "2");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void epochNotMatchReplacesTheCachedRangeAndRetriesWithTheNewEpoch() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("x")); // caches range 1 ["", end) at version 1
            cluster.split("m", 2);          // now 1 ["", "m") v2 and 2 ["m", end) v2

            assertThat(client.sync().get(bytes("x"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("2")));

            List<RequestHeader> headers = n1.seen("Get").stream().map(FakeNode.Seen::header).toList();
            assertThat(headers).extracting(RequestHeader::getRangeId, RequestHeader::getRangeVersion)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, 1L),
                            org.assertj.core.groups.Tuple.tuple(1L, 1L),
                            org.assertj.core.groups.Tuple.tuple(2L, 2L));
            RangeDescriptor left = client.routingCache().lookup(key("a")).orElseThrow();
            RangeDescriptor right = client.routingCache().lookup(key("x")).orElseThrow();
            assertThat(left.getRangeId()).isEqualTo(1);
            assertThat(left.getEndKey()).isEqualTo(key("m"));
            assertThat(right.getRangeId()).isEqualTo(2);
            assertThat(n1.count("Locate")).as("the error carried the routing; no Locate needed").isEqualTo(1);
        }
    }

    @Test
    void keyNotInRangeDropsTheRouteAndLocatesAgain() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("a"));
            n1.script("Get", request -> GetResponse.newBuilder().setError(FakeNode.keyNotInRange(key("a"))).build());

            assertThat(client.sync().get(bytes("a"))).isPresent();
            assertThat(n1.count("Locate")).isEqualTo(2);
        }
    }

    @Test
    void rangeNotFoundDropsTheRouteAndLocatesAgain() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("a"));
            n1.script("Get", request -> GetResponse.newBuilder().setError(KvError.newBuilder()
                    .setRangeNotFound(RangeNotFound.newBuilder().setRangeId(1))).build());

            assertThat(client.sync().get(bytes("a"))).isPresent();
            assertThat(n1.count("Locate")).isEqualTo(2);
        }
    }
}
