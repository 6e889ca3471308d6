package io.flotilla.client;

import static io.flotilla.client.FakeCluster.bytes;
import static io.flotilla.client.FakeCluster.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.client.error.FlotillaException;
import io.flotilla.transport.proto.ScanRequest;
import io.flotilla.transport.proto.ScanResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules: a scan continues across range boundaries from each page's resume key, and stops at its limit or end. */
class ScanTest {
    private final FakeCluster cluster = new FakeCluster();
    private FakeNode n1;
    private FakeNode n2;

    @BeforeEach
    void start() throws Exception {
        List<FakeNode> nodes = cluster.startNodes(2);
        n1 = nodes.get(0);
        n2 = nodes.get(1);
        cluster.addRange(1, "", "h", 1, 1);
        cluster.addRange(2, "h", "p", 1, 2);
        cluster.addRange(3, "p", "", 1, 1);
        for (char c = 'a'; c <= 'z'; c++) {
            cluster.put(String.valueOf(c), String.valueOf(Character.toUpperCase(c)));
        }
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aScanToTheEndVisitsEveryRangeInKeyOrder() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            List<KeyValue> all = client.sync().scan(bytes(""), null, 1000);

            assertThat(keys(all)).isEqualTo("abcdefghijklmnopqrstuvwxyz");
            assertThat(all.get(0).value()).isEqualTo(bytes("A"));
            assertThat(n1.seen("Scan")).extracting(s -> s.header().getRangeId()).containsExactly(1L, 3L);
            assertThat(n2.seen("Scan")).extracting(s -> s.header().getRangeId()).containsExactly(2L);
        }
    }

    @Test
    void aScanStopsAtItsEndKeyInsideALaterRange() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThat(keys(client.sync().scan(bytes("f"), bytes("r"), 1000))).isEqualTo("fghijklmnopq");
            assertThat(n1.seen("Scan")).hasSize(2);
        }
    }

    @Test
    void aLimitReachedAcrossABoundaryStopsThere() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThat(keys(client.sync().scan(bytes("f"), null, 5))).isEqualTo("fghij");
            assertThat(n2.seen("Scan")).extracting(s -> s.key()).containsExactly(key("h"));
            assertThat(n1.seen("Scan")).as("range 3 is never asked").hasSize(1);
        }
    }

    @Test
    void aLimitReachedInsideTheFirstRangeAsksNoOtherRange() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThat(keys(client.sync().scan(bytes("a"), null, 3))).isEqualTo("abc");
            assertThat(n1.count("Scan")).isEqualTo(1);
            assertThat(n2.count("Scan")).isZero();
        }
    }

    @Test
    void eachPageAsksOnlyForWhatTheLimitStillAllows() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().scan(bytes("f"), null, 5);

            // Range 1 gave f and g, so range 2 is asked for three more.
            assertThat(((ScanRequest) n1.seen("Scan").get(0).request()).getLimit()).isEqualTo(5);
            assertThat(((ScanRequest) n2.seen("Scan").get(0).request()).getLimit()).isEqualTo(3);
        }
    }

    @Test
    void aResumeKeyThatDoesNotMoveForwardFailsTheScanInsteadOfLooping() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            n1.script("Scan", request -> ScanResponse.newBuilder().setResumeKey(key("a")).build());

            assertThatThrownBy(() -> client.sync().scan(bytes("b"), null, 10))
                    .isInstanceOf(FlotillaException.RpcFailed.class)
                    .hasMessageContaining("does not move forward");
        }
    }

    @Test
    void badScanArgumentsFailWithATypedErrorAndSendNothing() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            assertThatThrownBy(() -> client.sync().scan(bytes("a"), null, 0))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThatThrownBy(() -> client.sync().scan(bytes("z"), bytes("a"), 10))
                    .isInstanceOf(FlotillaException.InvalidArgument.class);
            assertThat(client.sync().scan(bytes("c"), bytes("c"), 10)).isEmpty();
            assertThat(n1.count("Scan") + n1.count("Locate")).isZero();
        }
    }

    private static String keys(List<KeyValue> kvs) {
        StringBuilder text = new StringBuilder();
        kvs.forEach(kv -> text.append(new String(kv.key(), StandardCharsets.UTF_8)));
        return text.toString();
    }
}
