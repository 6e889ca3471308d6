package io.flotilla.client;

import static io.flotilla.client.FakeCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.transport.proto.RequestHeader;
import io.flotilla.transport.proto.WriteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules: a write's retries carry the same (client_id, seq), so the server applies it once; writes in
 * flight together never share a client_id, because the server keeps only the latest seq per id.
 */
class WriteSessionTest {
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
    void retriesOfAWriteReuseItsClientIdAndSeq() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            n1.script("Put", request -> WriteResponse.newBuilder().setError(FakeNode.proposalDropped()).build());
            n1.script("Put", request -> WriteResponse.newBuilder().setError(FakeNode.timeout()).build());

            client.sync().put(bytes("k"), bytes("v"));

            List<RequestHeader> headers = n1.seen("Put").stream().map(FakeNode.Seen::header).toList();
            assertThat(headers).hasSize(3);
            assertThat(headers.get(0).getClientId()).isNotZero();
            assertThat(headers).allSatisfy(h -> {
                assertThat(h.getClientId()).isEqualTo(headers.get(0).getClientId());
                assertThat(h.getSeq()).isEqualTo(headers.get(0).getSeq());
            });
            assertThat(cluster.applied()).hasSize(1);
        }
    }

    @Test
    void aWriteAfterAnotherTakesTheNextSeqOfAPooledSession() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().put(bytes("k"), bytes("1"));
            client.sync().delete(bytes("k"));

            List<RequestHeader> headers = new ArrayList<>();
            n1.seen("Put").forEach(s -> headers.add(s.header()));
            n1.seen("Delete").forEach(s -> headers.add(s.header()));
            assertThat(headers.get(1).getClientId()).isEqualTo(headers.get(0).getClientId());
            assertThat(headers.get(1).getSeq()).isEqualTo(headers.get(0).getSeq() + 1);
            assertThat(cluster.applied()).hasSize(2);
        }
    }

    @Test
    void concurrentWritesNeverShareAClientId() throws Exception {
        int writers = 16;
        CountDownLatch allArrived = new CountDownLatch(writers);
        // The node holds every Put until all of them are in flight at once, then applies them.
        n1.override("Put", request -> {
            allArrived.countDown();
            try {
                allArrived.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            var put = (io.flotilla.transport.proto.PutRequest) request;
            cluster.applyOnce(put.getHeader().getClientId(), put.getHeader().getSeq(),
                    () -> cluster.write(put.getKey(), put.getValue()), put.getKey());
            return WriteResponse.newBuilder().setIndex(1).build();
        });
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("warm-up")); // locate first, so all writers start at once
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                writes.add(client.put(bytes("k" + i), bytes("v" + i)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

            assertThat(allArrived.getCount()).as("all writes were in flight together").isZero();
            Set<Long> clientIds = n1.seen("Put").stream().map(s -> s.header().getClientId())
                    .collect(Collectors.toSet());
            assertThat(clientIds).hasSize(writers).doesNotContain(0L);
            assertThat(cluster.applied()).as("none was taken for a retry of another").hasSize(writers);
        }
    }

    @Test
    void readsCarryNoSession() {
        try (FlotillaClient client = TestClients.client(n1.address())) {
            client.sync().get(bytes("k"));
            assertThat(n1.seen("Get").get(0).header().getClientId()).isZero();
        }
    }
}
