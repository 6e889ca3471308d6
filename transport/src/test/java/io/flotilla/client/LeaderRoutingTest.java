package io.flotilla.client;

import static io.flotilla.client.FakeCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules: requests go to the range leader; a NotLeader hint is followed; unreachable nodes are passed over. */
class LeaderRoutingTest {
    private final FakeCluster cluster = new FakeCluster();
    private FakeNode n1;
    private FakeNode n2;
    private FakeNode n3;

    @BeforeEach
    void start() throws Exception {
        List<FakeNode> nodes = cluster.startNodes(3);
        n1 = nodes.get(0);
        n2 = nodes.get(1);
        n3 = nodes.get(2);
        cluster.addRange(1, "", "", 1, 2, 1, 3); // led by node 2
        cluster.put("k", "v");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void locateFindsTheLeaderAndLaterCallsGoStraightToIt() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThat(client.sync().get(bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v")));
            assertThat(client.sync().get(bytes("k"))).isPresent();

            assertThat(n1.count("Locate")).isEqualTo(1);
            assertThat(n1.count("Get")).isZero();
            assertThat(n2.count("Get")).isEqualTo(2);
        }
    }

    @Test
    void notLeaderWithHintIsFollowedToTheNewLeaderAndRemembered() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("k"));
            cluster.setLeader(1, 3); // leadership moves; the client still thinks node 2 leads

            assertThat(client.sync().get(bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v")));
            assertThat(client.sync().get(bytes("k"))).isPresent();

            assertThat(n2.count("Get")).as("node 2 answered NotLeader once").isEqualTo(2);
            assertThat(n3.count("Get")).as("then node 3 served both reads").isEqualTo(2);
            assertThat(n1.count("Locate")).as("a hint needs no new Locate").isEqualTo(1);
        }
    }

    @Test
    void notLeaderHintWithoutAddressUsesTheAddressLearnedForThatNode() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            cluster.setLeader(1, 3);
            client.sync().get(bytes("k")); // learns node 3's address from Locate
            cluster.setLeader(1, 2);
            client.sync().get(bytes("k")); // node 3 hints node 2 with its address
            cluster.setLeader(1, 3);
            n2.script("Get", request -> io.flotilla.transport.proto.GetResponse.newBuilder()
                    .setError(FakeNode.notLeader(1, 3, "")).build());

            assertThat(client.sync().get(bytes("k"))).isPresent();
            assertThat(n3.count("Get")).isEqualTo(3);
        }
    }

    @Test
    void aDeadSeedIsSkipped() throws Exception {
        String dead = FakeCluster.deadAddress();
        try (FlotillaClient client = TestClients.client(dead, n1.address())) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.sync().get(bytes("k"))).isPresent();
            }
            assertThat(n1.count("Locate")).isEqualTo(1);
        }
    }

    @Test
    void aLeaderThatStopsAnsweringCostsOneAttemptTimeoutNotTheWholeRequest() {
        try (FlotillaClient client = TestClients.builder(n1.address(), n3.address())
                .requestTimeout(java.time.Duration.ofSeconds(10))
                .attemptTimeout(java.time.Duration.ofMillis(200)).build()) {
            client.sync().get(bytes("k"));
            n2.override("Get", request -> {
                cluster.setLeader(1, 3); // node 2 hangs; the others elect node 3
                return null;
            });

            long started = System.nanoTime();
            assertThat(client.sync().get(bytes("k"))).isPresent();
            long elapsedMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(elapsedMs).isBetween(150L, 5_000L);
            assertThat(n3.count("Get")).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableLeaderIsMarkedSuspectAndAnotherNodeLeadsTheClientOn() {
        try (FlotillaClient client = TestClients.client(n1.address(), n3.address())) {
            client.sync().get(bytes("k"));
            n2.close(); // the leader dies; node 3 takes over
            cluster.setLeader(1, 3);

            assertThat(client.sync().get(bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v")));
            assertThat(n3.count("Get")).isGreaterThanOrEqualTo(1);
        }
    }
}
