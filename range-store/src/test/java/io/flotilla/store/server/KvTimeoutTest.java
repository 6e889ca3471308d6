package io.flotilla.store.server;

import io.flotilla.transport.proto.GetRequest;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.PutRequest;
import io.flotilla.transport.proto.RequestHeader;
import io.flotilla.transport.proto.WriteResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.flotilla.store.server.TestCluster.bs;
import static org.assertj.core.api.Assertions.assertThat;

/** A request that cannot complete in time gets Timeout when its deadline passes, not a hung call. */
class KvTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatCannotCommitTimesOutAtTheHeadersDeadline() {
        // Slow elections (1-2 s): the leader, cut off from its quorum, keeps leading for a while.
        try (TestCluster cluster = TestCluster.start(dir, 3, TestCluster.Raft.IN_MEMORY, 20, 50,
                NodeConfig.DEFAULT_MAX_INBOUND_BYTES)) {
            cluster.put("t/ok", "1");
            long leader = cluster.awaitLeader(1);
            List<Long> followers = cluster.ids().stream().filter(id -> id != leader).toList();
            followers.parallelStream().forEach(cluster::stop);

            long started = System.nanoTime();
            WriteResponse r = cluster.kv(leader).put(PutRequest.newBuilder().setHeader(RequestHeader.newBuilder()
                    .setTimeoutMs(250)).setKey(bs("t/lost")).setValue(bs("v")).build());
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.getError().hasTimeout()).as(r.toString()).isTrue();
            assertThat(tookMs).as("answered at the deadline").isBetween(240L, 5_000L);

            GetResponse read = cluster.kv(leader).get(GetRequest.newBuilder().setHeader(RequestHeader.newBuilder()
                    .setTimeoutMs(250)).setKey(bs("t/ok")).build());
            assertThat(read.getError().hasTimeout() || read.getError().hasNotLeader())
                    .as("a read that cannot be confirmed is not served: " + read).isTrue();
        }
    }
}
