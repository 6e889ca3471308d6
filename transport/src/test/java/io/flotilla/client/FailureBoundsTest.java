package io.flotilla.client;

import static io.flotilla.client.FakeCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.client.error.FlotillaException;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.ResourceExhausted;
import io.flotilla.transport.proto.WriteResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules: errors that retrying cannot fix fail at once; everything else stops at the attempt bound or the deadline. */
class FailureBoundsTest {
    private final FakeCluster cluster = new FakeCluster();
    private FakeNode n1;

    @BeforeEach
    void start() throws Exception {
        n1 = cluster.startNodes(1).get(0);
        cluster.addRange(1, "", "", 1, 1);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void invalidArgumentFailsAtOnceWithoutRetry() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            n1.override("Put", request -> WriteResponse.newBuilder()
                    .setError(FakeNode.invalidArgument("value too odd")).build());

            assertThatThrownBy(() -> client.sync().put(bytes("k"), bytes("v")))
                    .isInstanceOf(FlotillaException.InvalidArgument.class)
                    .hasMessageContaining("value too odd");
            assertThat(n1.count("Put")).isEqualTo(1);
            assertThat(cluster.applied()).isEmpty();
        }
    }

    @Test
    void resourceExhaustedFailsAtOnceWithoutRetry() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            n1.override("Put", request -> WriteResponse.newBuilder().setError(KvError.newBuilder()
                    .setMessage("write too large").setResourceExhausted(ResourceExhausted.getDefaultInstance()))
                    .build());

            assertThatThrownBy(() -> client.sync().put(bytes("k"), bytes("v")))
                    .isInstanceOf(FlotillaException.ResourceExhausted.class)
                    .hasMessageContaining("write too large");
            assertThat(n1.count("Put")).isEqualTo(1);
        }
    }

    @Test
    void aGrpcStatusWithNoRetryRuleFailsAtOnce() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("k"));
            n1.override("Get", request -> {
                throw Status.INTERNAL.withDescription("boom").asRuntimeException();
            });

            assertThatThrownBy(() -> client.sync().get(bytes("k")))
                    .isInstanceOf(FlotillaException.RpcFailed.class)
                    .hasMessageContaining("INTERNAL");
            assertThat(n1.count("Get")).isEqualTo(2);
        }
    }

    @Test
    void retriesStopAtMaxAttemptsWithTheLastFailure() {
        try (FlotillaClient client = TestClients.builder(n1.address()).maxAttempts(3).build()) {
            client.sync().get(bytes("k"));
            n1.override("Put", request -> WriteResponse.newBuilder().setError(FakeNode.proposalDropped()).build());

            assertThatThrownBy(() -> client.sync().put(bytes("k"), bytes("v")))
                    .isInstanceOf(FlotillaException.ProposalDropped.class);
            assertThat(n1.count("Put")).isEqualTo(3);
        }
    }

    @Test
    void aNodeThatNeverAnswersCannotHoldACallPastItsDeadline() throws Exception {
        try (FlotillaClient client = TestClients.builder(n1.address()).requestTimeout(Duration.ofMillis(300)).build()) {
            client.sync().get(bytes("k"));
            n1.override("Get", request -> null);

            long started = System.nanoTime();
            CompletableFuture<?> get = client.get(bytes("k"));
            Throwable failure = failureOf(get);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(failure).isInstanceOf(FlotillaException.DeadlineExceeded.class);
            assertThat(elapsedMs).isBetween(250L, 3_000L);
        }
    }

    @Test
    void serverTimeoutsAreRetriedOnlyWhileTheDeadlineAllows() throws Exception {
        try (FlotillaClient client = TestClients.builder(n1.address()).requestTimeout(Duration.ofMillis(300))
                .maxAttempts(1_000_000).build()) {
            client.sync().get(bytes("k"));
            n1.override("Get", request -> GetResponse.newBuilder().setError(FakeNode.timeout()).build());

            long started = System.nanoTime();
            Throwable failure = failureOf(client.get(bytes("k")));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(failure).isInstanceOf(FlotillaException.DeadlineExceeded.class)
                    .hasCauseInstanceOf(FlotillaException.Timeout.class);
            assertThat(((FlotillaException.DeadlineExceeded) failure).attempts()).isGreaterThan(1);
            assertThat(elapsedMs).isLessThan(3_000L);
        }
    }

    @Test
    void aClosedClientFailsNewCallsWithATypedError() {
        FlotillaClient client = TestClients.client(n1.address());
        client.close();

        assertThatThrownBy(() -> client.sync().get(bytes("k"))).isInstanceOf(FlotillaException.RpcFailed.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closingTheClientFailsACallWaitingOutABackoff() throws Exception {
        FlotillaClient client = TestClients.builder(n1.address())
                .backoff(Duration.ofMillis(300), Duration.ofMillis(300)).build();
        try {
            client.sync().get(bytes("k"));
            java.util.concurrent.CountDownLatch firstPut = new java.util.concurrent.CountDownLatch(1);
            n1.override("Put", request -> {
                firstPut.countDown();
                return WriteResponse.newBuilder().setError(FakeNode.proposalDropped()).build();
            });
            CompletableFuture<Void> put = client.put(bytes("k"), bytes("v"));
            assertThat(firstPut.await(5, TimeUnit.SECONDS)).isTrue();

            client.close();

            assertThat(failureOf(put)).isInstanceOf(FlotillaException.RpcFailed.class).hasMessageContaining("closed");
        } finally {
            client.close(); // closing twice is harmless
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the call to fail");
    }
}
