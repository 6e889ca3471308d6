package io.flotilla.store.server;

import com.google.protobuf.ByteString;
import io.flotilla.transport.proto.BatchOp;
import io.flotilla.transport.proto.BatchRequest;
import io.flotilla.transport.proto.BatchResponse;
import io.flotilla.transport.proto.CompareAndSetRequest;
import io.flotilla.transport.proto.CompareAndSetResponse;
import io.flotilla.transport.proto.DeleteRangeOp;
import io.flotilla.transport.proto.DeleteRequest;
import io.flotilla.transport.proto.GetRequest;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.KeyValue;
import io.flotilla.transport.proto.LocateResponse;
import io.flotilla.transport.proto.PutRequest;
import io.flotilla.transport.proto.ReadConsistency;
import io.flotilla.transport.proto.RequestHeader;
import io.flotilla.transport.proto.ScanRequest;
import io.flotilla.transport.proto.ScanResponse;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.flotilla.transport.proto.WriteResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.flotilla.store.server.TestCluster.bs;
import static io.flotilla.store.server.TestCluster.retry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The KV API over real gRPC on a three-node cluster: round trips and every typed error. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvServiceTest {
    /** Small, so that one request can exceed it without allocating much. */
    private static final int MAX_MESSAGE = 4 << 20;

    @TempDir
    static Path dir;
    private TestCluster cluster;

    @BeforeAll
    void start() {
        cluster = TestCluster.start(dir, 3, TestCluster.Raft.GRPC, 10, 10, MAX_MESSAGE);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private long leaderOf(String key) {
        return cluster.locate(1, key).getLeaderNodeId();
    }

    private long followerOf(String key) {
        long leader = leaderOf(key);
        return cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    }

    private GetResponse get(long node, String key) {
        return retry(() -> cluster.kv(node).get(GetRequest.newBuilder().setKey(bs(key)).build()), GetResponse::getError);
    }

    @Test
    void aPutIsReadBackFromEveryNodeAndADeleteRemovesIt() {
        WriteResponse put = cluster.put("rt/key", "value");
        assertThat(put.hasError()).as(put.getError().getMessage()).isFalse();
        assertThat(put.getIndex()).isPositive();
        for (long id : cluster.ids()) {
            GetResponse r = get(id, "rt/key");
            assertThat(r.getFound()).as("read on node " + id).isTrue();
            assertThat(r.getValue().toStringUtf8()).isEqualTo("value");
        }
        GetResponse lease = retry(() -> cluster.kv(leaderOf("rt/key")).get(GetRequest.newBuilder().setKey(bs("rt/key"))
                .setConsistency(ReadConsistency.LEASE).build()), GetResponse::getError);
        assertThat(lease.getValue().toStringUtf8()).as("a lease read sees the write too").isEqualTo("value");
        WriteResponse del = retry(() -> cluster.kv(leaderOf("rt/key")).delete(DeleteRequest.newBuilder()
                .setKey(bs("rt/key")).build()), WriteResponse::getError);
        assertThat(del.hasError()).isFalse();
        assertThat(get(1, "rt/key").getFound()).isFalse();
    }

    @Test
    void aWriteToAFollowerGetsNotLeaderWithTheLeadersIdAndAddress() {
        cluster.put("nl/key", "x");
        long leader = leaderOf("nl/key");
        WriteResponse r = cluster.kv(followerOf("nl/key")).put(PutRequest.newBuilder().setKey(bs("nl/key"))
                .setValue(bs("y")).build());
        assertThat(r.getError().hasNotLeader()).as(r.toString()).isTrue();
        assertThat(r.getError().getNotLeader().getLeaderNodeId()).isEqualTo(leader);
        assertThat(r.getError().getNotLeader().getLeaderAddress()).isEqualTo(cluster.node(leader).address());
        assertThat(get(1, "nl/key").getValue().toStringUtf8()).as("nothing changed").isEqualTo("x");
    }

    @Test
    void compareAndSetAppliesOnlyWhenTheValueMatches() {
        long leader = leaderOf("cas/key");
        CompareAndSetResponse created = retry(() -> cluster.kv(leaderOf("cas/key")).compareAndSet(
                CompareAndSetRequest.newBuilder().setKey(bs("cas/key")).setExpectAbsent(true).setValue(bs("1")).build()),
                CompareAndSetResponse::getError);
        assertThat(created.getSucceeded()).as("absent, as expected").isTrue();
        CompareAndSetResponse wrong = cluster.kv(leader).compareAndSet(CompareAndSetRequest.newBuilder()
                .setKey(bs("cas/key")).setExpected(bs("0")).setValue(bs("2")).build());
        assertThat(wrong.getSucceeded()).isFalse();
        assertThat(wrong.getFound()).isTrue();
        assertThat(wrong.getActual().toStringUtf8()).isEqualTo("1");
        CompareAndSetResponse deleted = cluster.kv(leader).compareAndSet(CompareAndSetRequest.newBuilder()
                .setKey(bs("cas/key")).setExpected(bs("1")).setDelete(true).build());
        assertThat(deleted.getSucceeded()).isTrue();
        assertThat(get(leader, "cas/key").getFound()).isFalse();
    }

    @Test
    void aBatchAppliesAtomicallyOrNotAtAll() {
        cluster.put("batch/a", "1");
        long leader = leaderOf("batch/a");
        BatchResponse failed = cluster.kv(leader).batch(BatchRequest.newBuilder()
                .addOps(BatchOp.newBuilder().setPut(PutRequest.newBuilder().setKey(bs("batch/b")).setValue(bs("2"))))
                .addOps(BatchOp.newBuilder().setCompareAndSet(CompareAndSetRequest.newBuilder().setKey(bs("batch/a"))
                        .setExpected(bs("other")).setValue(bs("3"))))
                .build());
        assertThat(failed.getSucceeded()).isFalse();
        assertThat(failed.getActual().toStringUtf8()).isEqualTo("1");
        assertThat(get(leader, "batch/b").getFound()).as("the failed batch wrote nothing").isFalse();
        BatchResponse ok = cluster.kv(leader).batch(BatchRequest.newBuilder()
                .addOps(BatchOp.newBuilder().setPut(PutRequest.newBuilder().setKey(bs("batch/c")).setValue(bs("4"))))
                .addOps(BatchOp.newBuilder().setDeleteRange(DeleteRangeOp.newBuilder().setStartKey(bs("batch/a"))
                        .setEndKey(bs("batch/b"))))
                .build());
        assertThat(ok.getSucceeded()).as(ok.toString()).isTrue();
        assertThat(get(leader, "batch/a").getFound()).isFalse();
        assertThat(get(leader, "batch/c").getValue().toStringUtf8()).isEqualTo("4");
    }

    @Test
    void malformedRequestsGetInvalidArgumentAndChangeNothing() {
        cluster.put("bad/probe", "x");
        long leader = leaderOf("bad/probe");
        var kv = cluster.kv(leader);
        assertThat(kv.put(PutRequest.newBuilder().setValue(bs("v")).build()).getError().hasInvalidArgument())
                .as("empty key").isTrue();
        assertThat(kv.get(GetRequest.getDefaultInstance()).getError().hasInvalidArgument()).as("empty key read").isTrue();
        assertThat(kv.scan(ScanRequest.newBuilder().setStartKey(bs("bad/")).setLimit(5_000_000).build()).getError()
                .hasInvalidArgument()).as("absurd scan limit").isTrue();
        assertThat(kv.scan(ScanRequest.newBuilder().setStartKey(bs("bad/z")).setEndKey(bs("bad/a")).build()).getError()
                .hasInvalidArgument()).as("scan end before start").isTrue();
        assertThat(kv.put(PutRequest.newBuilder().setHeader(RequestHeader.newBuilder().setClientId(7))
                .setKey(bs("bad/k")).setValue(bs("v")).build()).getError().hasInvalidArgument())
                .as("a client id without a sequence number").isTrue();
        assertThat(kv.batch(BatchRequest.newBuilder().addOps(BatchOp.getDefaultInstance()).build()).getError()
                .hasInvalidArgument()).as("an empty batch operation").isTrue();
        assertThat(kv.batch(BatchRequest.getDefaultInstance()).getError().hasInvalidArgument()).as("no operations").isTrue();
        assertThat(get(leader, "bad/k").getFound()).as("nothing was written").isFalse();
        assertThat(get(leader, "bad/probe").getValue().toStringUtf8()).as("and the node still serves").isEqualTo("x");
    }

    @Test
    void oversizedRequestsGetResourceExhaustedAndTheNodeKeepsServing() {
        cluster.put("big/probe", "x");
        long leader = leaderOf("big/probe");
        var kv = cluster.kv(leader);
        WriteResponse bigValue = kv.put(PutRequest.newBuilder().setKey(bs("big/v"))
                .setValue(ByteString.copyFrom(new byte[(1 << 20) + 1])).build());
        assertThat(bigValue.getError().hasResourceExhausted()).as(bigValue.getError().getMessage()).isTrue();
        WriteResponse bigKey = kv.put(PutRequest.newBuilder().setKey(ByteString.copyFrom(new byte[9000]))
                .setValue(bs("v")).build());
        assertThat(bigKey.getError().hasResourceExhausted()).isTrue();
        StatusRuntimeException tooLarge = catchThrowableOfType(StatusRuntimeException.class,
                () -> kv.put(PutRequest.newBuilder().setKey(bs("big/m"))
                        .setValue(ByteString.copyFrom(new byte[MAX_MESSAGE + 1])).build()));
        assertThat(tooLarge).as("a message above the server's limit is refused by gRPC").isNotNull();
        assertThat(tooLarge.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(get(leader, "big/v").getFound()).isFalse();
        assertThat(get(leader, "big/m").getFound()).isFalse();
        assertThat(get(leader, "big/probe").getValue().toStringUtf8()).as("the node still serves").isEqualTo("x");
    }

    @Test
    void aRequestRoutedByAStaleEpochOrToTheWrongRangeGetsWhatToRouteByNow() {
        cluster.put("epoch/a", "1");
        LocateResponse before = cluster.locate(1, "epoch/a");
        var range = before.getRange();
        SplitRangeResponse split = cluster.admin(2).splitRange(SplitRangeRequest.newBuilder()
                .setSplitKey(bs("epoch/m")).build());
        assertThat(split.hasError()).as(split.getError().getMessage()).isFalse();
        long leader = cluster.awaitLeader(range.getRangeId());

        WriteResponse stale = cluster.kv(leader).put(PutRequest.newBuilder().setHeader(RequestHeader.newBuilder()
                .setRangeId(range.getRangeId()).setRangeVersion(range.getVersion())).setKey(bs("epoch/z"))
                .setValue(bs("v")).build());
        assertThat(stale.getError().hasEpochNotMatch()).as(stale.toString()).isTrue();
        assertThat(stale.getError().getEpochNotMatch().getCurrentList())
                .extracting(io.flotilla.transport.proto.RangeDescriptor::getRangeId)
                .contains(split.getLeft().getRangeId(), split.getRight().getRangeId());

        WriteResponse wrongRange = cluster.kv(leader).put(PutRequest.newBuilder().setHeader(RequestHeader.newBuilder()
                .setRangeId(split.getLeft().getRangeId()).setRangeVersion(split.getLeft().getVersion()))
                .setKey(bs("epoch/z")).setValue(bs("v")).build());
        assertThat(wrongRange.getError().hasKeyNotInRange()).as(wrongRange.toString()).isTrue();
        assertThat(wrongRange.getError().getKeyNotInRange().getRange().getEndKey().toStringUtf8()).isEqualTo("epoch/m");

        WriteResponse unknown = cluster.kv(leader).put(PutRequest.newBuilder().setHeader(RequestHeader.newBuilder()
                .setRangeId(424242).setRangeVersion(1)).setKey(bs("epoch/z")).setValue(bs("v")).build());
        assertThat(unknown.getError().hasRangeNotFound()).isTrue();
        assertThat(unknown.getError().getRangeNotFound().getRangeId()).isEqualTo(424242);

        GetResponse staleRead = cluster.kv(leader).get(GetRequest.newBuilder().setHeader(RequestHeader.newBuilder()
                .setRangeId(range.getRangeId()).setRangeVersion(range.getVersion())).setKey(bs("epoch/a")).build());
        assertThat(staleRead.getError().hasEpochNotMatch()).as("reads check the epoch too").isTrue();
        assertThat(get(leader, "epoch/z").getFound()).as("nothing changed").isFalse();
    }

    @Test
    void aScanPagesAcrossASplitAndReturnsEveryKeyOnce() {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String k = String.format("scan/%02d", i);
            cluster.put(k, "v" + i);
            written.add(k);
        }
        SplitRangeResponse split = cluster.admin(1).splitRange(SplitRangeRequest.newBuilder()
                .setSplitKey(bs("scan/15")).build());
        assertThat(split.hasError()).as(split.getError().getMessage()).isFalse();
        cluster.awaitLeader(split.getRight().getRangeId());

        List<String> seen = new ArrayList<>();
        List<String> resumes = new ArrayList<>();
        ByteString from = bs("scan/");
        for (int page = 0; page < 50 && !from.isEmpty(); page++) {
            ByteString start = from;
            ScanResponse r = retry(() -> cluster.kv(2).scan(ScanRequest.newBuilder().setStartKey(start)
                    .setEndKey(bs("scan0")).setLimit(7).build()), ScanResponse::getError);
            assertThat(r.hasError()).as(r.getError().getMessage()).isFalse();
            for (KeyValue kv : r.getKvsList()) {
                seen.add(kv.getKey().toStringUtf8());
            }
            from = r.getResumeKey();
            resumes.add(from.toStringUtf8());
        }
        assertThat(seen).as("every key once, in order").containsExactlyElementsOf(written);
        assertThat(resumes).as("a page ended at the split, where the next range begins").contains("scan/15");
        assertThat(resumes.get(resumes.size() - 1)).as("the last page says the scan is done").isEmpty();
    }

    @Test
    void responsesAboveTheInlineReplySizeArriveWhole() {
        // Small answers are sent by the engine thread that completed them, larger ones on the
        // response pool: both must arrive whole.
        byte[] big = new byte[KvService.INLINE_REPLY_BYTES + 1];
        new java.util.Random(7).nextBytes(big);
        WriteResponse put = retry(() -> cluster.kv(leaderOf("large/a")).put(PutRequest.newBuilder()
                .setKey(bs("large/a")).setValue(ByteString.copyFrom(big)).build()), WriteResponse::getError);
        assertThat(put.hasError()).as(put.getError().getMessage()).isFalse();
        cluster.put("large/b", "small");
        GetResponse r = get(leaderOf("large/a"), "large/a");
        assertThat(r.getValue().toByteArray()).as("a value above the inline size").isEqualTo(big);
        assertThat(get(leaderOf("large/b"), "large/b").getValue().toStringUtf8()).isEqualTo("small");
        ScanResponse page = retry(() -> cluster.kv(leaderOf("large/a")).scan(ScanRequest.newBuilder()
                .setStartKey(bs("large/")).setEndKey(bs("large0")).build()), ScanResponse::getError);
        assertThat(page.getKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("large/a", "large/b");
        assertThat(page.getKvs(0).getValue().toByteArray()).isEqualTo(big);
    }

    @Test
    void locateNamesTheRangeAndItsLeaderFromAnyNode() {
        cluster.put("loc/key", "x");
        for (long id : cluster.ids()) {
            LocateResponse r = cluster.locate(id, "loc/key");
            assertThat(io.flotilla.store.server.ProtoConvert.fromProto(r.getRange()).contains(
                    "loc/key".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
            assertThat(r.getLeaderAddress()).isEqualTo(cluster.node(r.getLeaderNodeId()).address());
        }
    }
}
