package io.flotilla.client;

import static io.flotilla.client.FakeCluster.bytes;
import static io.flotilla.client.FakeCluster.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.client.error.FlotillaException;
import io.flotilla.transport.proto.CompareAndSetRequest;
import io.flotilla.transport.proto.GetRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules: each call maps to its wire request as documented, and bad input fails typed without a call. */
class KvOperationsTest {
    private final FakeCluster cluster = new FakeCluster();
    private FakeNode n1;

    @BeforeEach
    void start() throws Exception {
        n1 = cluster.startNodes(1).get(0);
        cluster.addRange(1, "", "m", 1, 1);
        cluster.addRange(2, "m", "", 1, 1);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void putGetDeleteRoundTrip() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            BlockingKv kv = client.sync();
            assertThat(kv.get(bytes("k"))).isEmpty();
            kv.put(bytes("k"), bytes("v"));
            assertThat(kv.get(bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v")));
            kv.delete(bytes("k"));
            assertThat(kv.get(bytes("k"))).isEmpty();
        }
    }

    @Test
    void leaseReadsAskForLeaseConsistency() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("k"), ReadConsistency.LEASE);
            client.sync().get(bytes("k"));

            assertThat(n1.seen("Get")).extracting(s -> ((GetRequest) s.request()).getConsistency())
                    .containsExactly(io.flotilla.transport.proto.ReadConsistency.LEASE,
                            io.flotilla.transport.proto.ReadConsistency.LINEARIZABLE);
        }
    }

    @Test
    void compareAndSetWithNullsMeansAbsentAndDelete() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            BlockingKv kv = client.sync();
            assertThat(kv.compareAndSet(bytes("k"), null, bytes("1"))).isEqualTo(new CasResult(true, Optional.empty()));
            assertThat(kv.compareAndSet(bytes("k"), bytes("0"), bytes("2")))
                    .isEqualTo(new CasResult(false, Optional.of(bytes("1"))));
            assertThat(kv.compareAndSet(bytes("k"), bytes("1"), null)).isEqualTo(new CasResult(true, Optional.empty()));
            assertThat(kv.get(bytes("k"))).isEmpty();

            CompareAndSetRequest first = (CompareAndSetRequest) n1.seen("CompareAndSet").get(0).request();
            CompareAndSetRequest last = (CompareAndSetRequest) n1.seen("CompareAndSet").get(2).request();
            assertThat(first.getExpectAbsent()).isTrue();
            assertThat(last.getDelete()).isTrue();
        }
    }

    @Test
    void aBatchInOneRangeAppliesAtomically() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            cluster.put("c", "old");
            BatchResult result = client.sync().batch(List.of(
                    new BatchOp.Put(bytes("a"), bytes("1")),
                    new BatchOp.CompareAndSet(bytes("c"), bytes("old"), bytes("new")),
                    new BatchOp.Delete(bytes("b"))));

            assertThat(result.succeeded()).isTrue();
            assertThat(cluster.value(key("a"))).isEqualTo(key("1"));
            assertThat(cluster.value(key("c"))).isEqualTo(key("new"));
            assertThat(cluster.applied()).hasSize(1);
        }
    }

    @Test
    void aBatchWhoseCompareAndSetFailsReportsTheActualValue() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            cluster.put("c", "other");
            BatchResult result = client.sync().batch(List.of(
                    new BatchOp.Put(bytes("a"), bytes("1")),
                    new BatchOp.CompareAndSet(bytes("c"), bytes("old"), bytes("new"))));

            assertThat(result).isEqualTo(new BatchResult(false, Optional.of(bytes("other"))));
            assertThat(cluster.value(key("a"))).isNull();
        }
    }

    @Test
    void aBatchSpanningRangesFailsWithInvalidArgumentAndIsNeverSent() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThatThrownBy(() -> client.sync().batch(List.of(
                    new BatchOp.Put(bytes("a"), bytes("1")),
                    new BatchOp.Put(bytes("x"), bytes("2")))))
                    .isInstanceOf(FlotillaException.InvalidArgument.class)
                    .hasMessageContaining("\"x\"")
                    .hasMessageContaining("one range");
            assertThatThrownBy(() -> client.sync().batch(List.of(
                    new BatchOp.DeleteRange(bytes("a"), null))))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThat(n1.count("Batch")).isZero();
        }
    }

    @Test
    void nullOrEmptyInputFailsTypedWithoutACall() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThatThrownBy(() -> client.sync().get(null)).isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThatThrownBy(() -> client.sync().put(bytes("k"), null))
                    .isInstanceOf(FlotillaException.InvalidArgument.class).hasMessageContaining("value");
            assertThatThrownBy(() -> client.sync().batch(List.of()))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThatThrownBy(() -> client.sync().batch(List.of(new BatchOp.Put(bytes("k"), null))))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThat(n1.count("Locate")).isZero();
        }
    }

    @Test
    void theBuilderRejectsBadSettingsClearly() {
        assertThatThrownBy(() -> FlotillaClient.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed");
        assertThatThrownBy(() -> FlotillaClient.builder().seeds(List.of("no-port")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
        assertThatThrownBy(() -> FlotillaClient.builder().seeds(List.of("h:1")).maxAttempts(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> FlotillaClient.builder().seeds(List.of("h:1"))
                .backoff(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff");
    }
}
