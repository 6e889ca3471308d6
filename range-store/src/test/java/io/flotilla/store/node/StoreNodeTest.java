package io.flotilla.store.node;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.InMemoryTransport;
import io.flotilla.store.range.ApplyResult;
import io.flotilla.store.range.KvOp;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.ReplicaDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreNodeTest {
    private static final Executor LATER = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);
    private static final RangeDescriptor WHOLE = new RangeDescriptor(1, new byte[0], new byte[0],
            List.of(new ReplicaDescriptor(1, 1, false), new ReplicaDescriptor(2, 2, false),
                    new ReplicaDescriptor(3, 3, false)), 1, 1);

    @TempDir
    Path dir;
    private InMemoryTransport transport;
    private final Map<Long, StoreNode> nodes = new TreeMap<>();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private StoreNode open(long id, boolean bootstrap) {
        // Lease reads on (off by default), with timeouts that leave a lease after the engine's margins.
        EngineConfig cfg = EngineConfig.defaults(id).withTickMillis(10).withWorkers(1)
                .withLeaseReads(true).withElectionTick(20).withLivenessTimeoutTicks(20);
        StoreNode n = new StoreNode(cfg, dir.resolve("n" + id), 8 << 20, StoreLimits.DEFAULT, transport.senderFor(id));
        transport.register(n.engine());
        transport.setDown(id, false);
        if (bootstrap) {
            n.bootstrapRange(WHOLE);
        }
        nodes.put(id, n);
        return n;
    }

    @BeforeEach
    void start() {
        transport = InMemoryTransport.direct();
        for (long id = 1; id <= 3; id++) {
            open(id, true);
        }
    }

    @AfterEach
    void stop() {
        nodes.values().forEach(StoreNode::close);
    }

    /** Retries {@code attempt} while it fails with a retryable error (no leader yet), for up to ~10 s. */
    private static <T> T retry(Supplier<CompletableFuture<T>> attempt) throws Exception {
        CompletableFuture<T> f = attempt(attempt, 500);
        return f.get(30, TimeUnit.SECONDS);
    }

    private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> attempt, int left) {
        return attempt.get().exceptionallyCompose(e -> {
            Throwable c = e instanceof CompletionException ? e.getCause() : e;
            boolean retryable = c instanceof RangeException.NotLeader || c instanceof RangeException.ProposalDropped;
            if (!retryable || left == 0) {
                return CompletableFuture.failedFuture(c);
            }
            return CompletableFuture.supplyAsync(() -> null, LATER).thenCompose(x -> attempt(attempt, left - 1));
        });
    }

    /** Writes through whichever node leads range 1. */
    private ApplyResult writeAnywhere(List<KvOp> ops) throws Exception {
        int[] turn = {0};
        return retry(() -> nodes.get((long) (turn[0]++ % 3) + 1).write(ops));
    }

    private StoreNode leader() throws Exception {
        writeAnywhere(List.of(new KvOp.Put(b("probe"), b("x"))));
        for (StoreNode n : nodes.values()) {
            var info = n.engine().info(1);
            if (info != null && info.role() == io.flotilla.raft.StateRole.LEADER) {
                return n;
            }
        }
        throw new AssertionError("no leader");
    }

    @Test
    void aWriteIsReadBackLinearizablyOnEveryReplica() throws Exception {
        writeAnywhere(List.of(new KvOp.Put(b("k1"), b("v1"))));
        for (StoreNode n : nodes.values()) {
            assertThat(retry(() -> n.get(b("k1")))).as("read on node " + n.nodeId()).isEqualTo(b("v1"));
        }
    }

    @Test
    void compareAndSetAppliesOnlyWhenTheValueMatchesAndAbortsItsWholeBatch() throws Exception {
        writeAnywhere(List.of(new KvOp.Put(b("c"), b("1"))));
        ApplyResult wrong = writeAnywhere(List.of(new KvOp.CompareAndSet(b("c"), b("0"), b("2")),
                new KvOp.Put(b("other"), b("side-effect"))));
        assertThat(wrong.applied()).isFalse();
        assertThat(wrong.actual()).isEqualTo(b("1"));
        StoreNode any = nodes.get(1L);
        assertThat(retry(() -> any.get(b("other")))).as("the batch was atomic").isNull();
        ApplyResult right = writeAnywhere(List.of(new KvOp.CompareAndSet(b("c"), b("1"), b("2"))));
        assertThat(right.applied()).isTrue();
        assertThat(retry(() -> any.get(b("c")))).isEqualTo(b("2"));
        ApplyResult absent = writeAnywhere(List.of(new KvOp.CompareAndSet(b("new"), null, b("created"))));
        assertThat(absent.applied()).as("null expected means 'must be absent'").isTrue();
    }

    @Test
    void aLeaseReadOnTheLeaderIsServedUnderItsLeaseAndSeesTheAcknowledgedWrite() throws Exception {
        StoreNode l = leader();
        writeAnywhere(List.of(new KvOp.Put(b("leased"), b("v"))));
        long before = l.engine().metrics().leaseReads();
        // The lease holds while a quorum has answered recently enough; on a loaded machine the
        // answers may come too late for a while, so this keeps trying (bounded in time). Every
        // answer must see the write.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (l.engine().metrics().leaseReads() == before && System.nanoTime() < until) {
            assertThat(retry(() -> l.get(b("leased"), ReadMode.LEASE))).isEqualTo(b("v"));
        }
        assertThat(l.engine().metrics().leaseReads()).as("reads served under the lease (thesis §6.4.1)")
                .isGreaterThan(before);
        assertThat(retry(() -> l.get(b("leased"), ReadMode.LEASE))).isEqualTo(b("v"));
    }

    @Test
    void aRetriedRequestIsAppliedOnce() throws Exception {
        StoreNode l = leader();
        l.write(42, 7, List.of(new KvOp.Put(b("once"), b("first")))).get(10, TimeUnit.SECONDS);
        ApplyResult again = l.write(42, 7, List.of(new KvOp.Put(b("once"), b("second")))).get(10, TimeUnit.SECONDS);
        assertThat(again.applied()).isTrue();
        assertThat(retry(() -> l.get(b("once")))).isEqualTo(b("first"));
    }

    @Test
    void scansSeeACommittedPrefixWithinTheRange() throws Exception {
        for (int i = 0; i < 20; i++) {
            writeAnywhere(List.of(new KvOp.Put(b(String.format("s%02d", i)), b("v" + i))));
        }
        List<byte[][]> rows = retry(() -> nodes.get(2L).scan(b("s05"), b("s10"), 100));
        assertThat(rows).hasSize(5);
        assertThat(new String(rows.get(0)[0], StandardCharsets.UTF_8)).isEqualTo("s05");
        assertThat(retry(() -> nodes.get(3L).scan(b("s00"), new byte[0], 3))).hasSize(3);
        writeAnywhere(List.of(new KvOp.DeleteRange(b("s00"), b("s10"))));
        assertThat(retry(() -> nodes.get(1L).scan(b("s00"), new byte[0], 100))).hasSize(10);
    }

    @Test
    void badRequestsGetTypedErrorsAndChangeNothing() throws Exception {
        StoreNode l = leader();
        StoreNode follower = nodes.values().stream().filter(n -> n != l).findFirst().orElseThrow();
        assertThatThrownBy(() -> l.put(new byte[0], b("v")).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RangeException.InvalidArgument.class);
        assertThatThrownBy(() -> l.put(b("big"), new byte[(1 << 20) + 1]).get())
                .hasCauseInstanceOf(RangeException.ResourceExhausted.class);
        assertThatThrownBy(() -> l.put(new byte[(8 << 10) + 1], b("v")).get())
                .hasCauseInstanceOf(RangeException.ResourceExhausted.class);
        assertThatThrownBy(() -> l.write(List.of()).get()).hasCauseInstanceOf(RangeException.InvalidArgument.class);
        Throwable notLeader = org.assertj.core.api.Assertions.catchThrowable(() -> follower.put(b("k"), b("v")).get());
        assertThat(notLeader.getCause()).isInstanceOf(RangeException.NotLeader.class);
        assertThat(((RangeException.NotLeader) notLeader.getCause()).leaderNode()).isEqualTo(l.nodeId());
        assertThat(retry(() -> l.get(b("big")))).isNull();
        assertThat(retry(() -> l.get(b("k")))).isNull();
    }

    @Test
    void aRestartedNodeKeepsItsDataAndAppliedIndexAndRejoins() throws Exception {
        writeAnywhere(List.of(new KvOp.Put(b("durable"), b("yes"))));
        StoreNode three = nodes.get(3L);
        assertThat(retry(() -> three.get(b("durable")))).isEqualTo(b("yes"));
        long applied = three.range(1).appliedIndex();
        transport.setDown(3, true);
        three.close();
        nodes.remove(3L);
        writeAnywhere(List.of(new KvOp.Put(b("while-down"), b("missed"))));
        StoreNode back = open(3, false);
        assertThat(back.range(1).appliedIndex()).as("applied index on reopen").isGreaterThanOrEqualTo(applied);
        assertThat(back.range(1).descriptor()).isEqualTo(WHOLE);
        assertThat(retry(() -> back.get(b("durable")))).isEqualTo(b("yes"));
        assertThat(retry(() -> back.get(b("while-down")))).as("caught up after restart").isEqualTo(b("missed"));
    }

    @Test
    void splitsUnderLoadKeepDescriptorsTilingTheKeySpaceAndEveryWriteReadable() throws Exception {
        List<String> acked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            // Bounded in count and time: at most 300 writes, stopped by the test.
            for (int i = 0; i < 300 && !stop.get(); i++) {
                String k = String.format("k%03d", (i * 37) % 200);
                try {
                    writeAnywhere(List.of(new KvOp.Put(b(k), b("v" + i))));
                    acked.add(k + "=v" + i);
                } catch (Exception e) {
                    throw new AssertionError("write of " + k + " failed", e);
                }
            }
        });
        writer.start();
        long[] splitAt = new long[4];
        String[] keys = {"k050", "k100", "k150"};
        for (int i = 0; i < keys.length; i++) {
            long parent = i == 0 ? 1 : i + 1;
            long child = i + 2;
            String key = keys[i];
            retry(() -> {
                StoreNode n = leaderOf(parent);
                return n == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(parent, 0))
                        : n.split(parent, b(key), child);
            });
            long splitTick = nodes.get(1L).engine().currentTick();
            // The child is led within fewer ticks than an election timeout: its parent's leader
            // campaigned at once instead of waiting for a timer.
            for (int waited = 0; leaderOf(child) == null && waited < 2000; waited++) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertThat(leaderOf(child)).as("leader of range " + child).isNotNull();
            splitAt[i] = nodes.get(1L).engine().currentTick() - splitTick;
        }
        stop.set(true);
        writer.join(60_000);
        for (int i = 0; i < keys.length; i++) {
            assertThat(splitAt[i]).as("ticks from split " + i + " to its child's leader").isLessThan(10);
        }
        for (StoreNode n : nodes.values()) {
            List<RangeDescriptor> ds = n.descriptors();
            assertThat(ds).hasSize(4);
            assertThat(ds.get(0).startKey()).isEmpty();
            for (int i = 1; i < ds.size(); i++) {
                assertThat(ds.get(i).startKey()).as("no gap or overlap").isEqualTo(ds.get(i - 1).endKey());
            }
            assertThat(ds.get(ds.size() - 1).endKey()).isEmpty();
        }
        Map<String, String> last = new TreeMap<>();
        for (String a : acked) {
            String[] kv = a.split("=");
            last.put(kv[0], kv[1]);
        }
        for (Map.Entry<String, String> e : last.entrySet()) {
            for (StoreNode n : nodes.values()) {
                assertThat(retry(() -> n.get(b(e.getKey())))).as(e.getKey() + " on node " + n.nodeId())
                        .isEqualTo(b(e.getValue()));
            }
        }
    }

    @Test
    void aSplitKeyNotStrictlyInsideTheRangeIsRefusedAndChangesNothing() throws Exception {
        StoreNode l = leader();
        assertThatThrownBy(() -> l.split(1, new byte[0], 9).get()).hasCauseInstanceOf(RangeException.InvalidArgument.class);
        assertThatThrownBy(() -> l.split(77, b("m"), 9).get()).hasCauseInstanceOf(RangeException.RangeNotFound.class);
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).split(1, b("m"), 2));
        StoreNode l2 = leaderOf(1);
        assertThatThrownBy(() -> l2.split(1, b("x"), 3).get()).as("x is now outside range 1")
                .hasCauseInstanceOf(RangeException.InvalidArgument.class);
        assertThat(l2.descriptors()).hasSize(2);
    }

    private StoreNode leaderOf(long rangeId) {
        for (StoreNode n : nodes.values()) {
            var info = n.engine().info(rangeId);
            if (info != null && info.role() == io.flotilla.raft.StateRole.LEADER) {
                return n;
            }
        }
        return null;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        // Bounded: at most ~20 s in 5 ms steps.
        for (int i = 0; i < 4000 && !condition.getAsBoolean(); i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void aNewReplicaJoinsAsALearnerBySnapshotIsPromotedAndAnotherIsRemoved() throws Exception {
        for (int i = 0; i < 50; i++) {
            writeAnywhere(List.of(new KvOp.Put(b("j" + i), b("v" + i))));
        }
        StoreNode four = open(4, false);
        four.prepareReplica(1, 4, Map.of(1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L));
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).addReplica(1, 4, 4, true));
        await(() -> four.range(1).descriptor().version() > 0, "node 4 installed a snapshot");
        await(() -> four.range(1).get(b("j49")) != null, "node 4 has the data");
        assertThat(four.range(1).descriptor().replica(4).learner()).isTrue();
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).addReplica(1, 4, 4, false));
        await(() -> !four.range(1).descriptor().replica(4).learner(), "node 4 promoted");
        long removed = leaderOf(1).nodeId() == 3 ? 2 : 3;
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).removeReplica(1, removed));
        await(() -> four.range(1).descriptor().replicas().size() == 3, "replica removed everywhere");
        assertThat(four.range(1).descriptor().confVersion()).as("each change bumped the conf version").isEqualTo(1 + 3);
        writeAnywhere(List.of(new KvOp.Put(b("after"), b("membership"))));
        assertThat(retry(() -> four.get(b("after")))).isEqualTo(b("membership"));
    }

    @Test
    void aFollowerBehindTheTruncatedLogCatchesUpBySnapshotAndTheLogStaysBounded() throws Exception {
        writeAnywhere(List.of(new KvOp.Put(b("start"), b("0"))));
        for (StoreNode n : nodes.values()) {
            n.range(1).setLogRetention(40, 10);
        }
        StoreNode lagging = nodes.values().stream().filter(n -> leaderOf(1) != n).findFirst().orElseThrow();
        transport.setDown(lagging.nodeId(), true);
        for (int i = 0; i < 200; i++) {
            writeAnywhere(List.of(new KvOp.Put(b("t" + i), b("v" + i))));
        }
        StoreNode l = leaderOf(1);
        assertThat(l.engine().info(1).applied()).isGreaterThan(200);
        assertThat(l.firstLogIndex(1)).as("the leader's log was truncated past the follower")
                .isGreaterThan(lagging.range(1).appliedIndex() + 1);
        assertThat(l.engine().info(1).applied() - l.firstLogIndex(1)).as("retained entries").isLessThanOrEqualTo(41);
        long first = lagging.range(1).appliedIndex();
        transport.setDown(lagging.nodeId(), false);
        await(() -> lagging.range(1).appliedIndex() > first + 150, "the lagging follower caught up");
        assertThat(lagging.range(1).get(b("t199"))).isEqualTo(b("v199"));
        assertThat(lagging.range(1).get(b("t0"))).isEqualTo(b("v0"));
    }

    /**
     * Whether a retried request applies is decided on every replica as it applies the log, so
     * the sessions must travel in snapshots: otherwise a replica that caught up by snapshot
     * would apply a retry the others skip, and the replicas would diverge.
     */
    @Test
    void aReplicaThatCaughtUpBySnapshotStillRecognisesRetries() throws Exception {
        writeAnywhere(List.of(new KvOp.Put(b("start"), b("0"))));
        for (StoreNode n : nodes.values()) {
            n.range(1).setLogRetention(40, 10);
        }
        StoreNode lagging = nodes.values().stream().filter(n -> leaderOf(1) != n).findFirst().orElseThrow();
        transport.setDown(lagging.nodeId(), true);
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).write(43, 5, List.of(new KvOp.Put(b("s"), b("first")))));
        for (int i = 0; i < 100; i++) {
            writeAnywhere(List.of(new KvOp.Put(b("t" + i), b("v" + i))));
        }
        assertThat(leaderOf(1).firstLogIndex(1)).as("the session's entry is gone from the log")
                .isGreaterThan(lagging.range(1).appliedIndex() + 1);
        long first = lagging.range(1).appliedIndex();
        transport.setDown(lagging.nodeId(), false);
        await(() -> lagging.range(1).appliedIndex() > first + 90, "the lagging follower caught up by snapshot");

        leaderOf(1).engine().transferLeader(1, lagging.engine().info(1).replicaId());
        await(() -> leaderOf(1) == lagging, "the replica restored from a snapshot leads");
        ApplyResult again = retry(() -> lagging.write(43, 5, List.of(new KvOp.Put(b("s"), b("second")))));
        assertThat(again.applied()).isTrue();
        for (StoreNode n : nodes.values()) {
            await(() -> n.range(1).appliedIndex() >= again.index(), "every replica applied the retry");
            assertThat(n.range(1).get(b("s"))).as("node %d", n.nodeId()).isEqualTo(b("first"));
        }
    }

    /** A request applied in the parent and retried after a split must not apply again in the child. */
    @Test
    void aRetryThatReachesTheChildOfASplitIsStillRecognised() throws Exception {
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).write(44, 9, List.of(new KvOp.Put(b("z"), b("first")))));
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).split(1, b("m"), 2));
        await(() -> leaderOf(2) != null, "the child has a leader");
        ApplyResult again = retry(() -> leaderOf(2) == null
                ? CompletableFuture.failedFuture(new RangeException.NotLeader(2, 0))
                : leaderOf(2).write(44, 9, List.of(new KvOp.Put(b("z"), b("second")))));
        assertThat(again.applied()).isTrue();
        assertThat(retry(() -> leaderOf(2).get(b("z")))).isEqualTo(b("first"));
    }

    @Test
    void aWriteRoutedWithAStaleEpochIsRefusedWithTheCurrentDescriptors() throws Exception {
        retry(() -> leaderOf(1) == null ? CompletableFuture.failedFuture(new RangeException.NotLeader(1, 0))
                : leaderOf(1).split(1, b("m"), 2));
        StoreNode l = leaderOf(1);
        Throwable stale = org.assertj.core.api.Assertions.catchThrowable(
                () -> l.write(1, 1, 99, 1, List.of(new KvOp.Put(b("z"), b("v")))).get());
        assertThat(stale.getCause()).isInstanceOf(RangeException.EpochNotMatch.class);
        List<RangeDescriptor> current = ((RangeException.EpochNotMatch) stale.getCause()).current();
        assertThat(current).extracting(RangeDescriptor::rangeId).contains(1L, 2L);
        assertThat(current.stream().filter(d -> d.rangeId() == 1).findFirst().orElseThrow().version()).isEqualTo(2);
        assertThatThrownBy(() -> l.write(5, 1, 99, 2, List.of(new KvOp.Put(b("a"), b("v")))).get())
                .hasCauseInstanceOf(RangeException.RangeNotFound.class);
        assertThat(retry(() -> l.get(b("z")))).as("nothing changed").isNull();
    }

    @Test
    void concurrentWritesThroughOneNodeAreAllKeptOnceAcknowledged() throws Exception {
        StoreNode l = leader();
        List<CompletableFuture<ApplyResult>> writes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        // From many threads at once, so that requests reach the log out of their numbering order.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        for (int t = 0; t < 16; t++) {
            int thread = t;
            pool.submit(() -> {
                for (int i = thread; i < 400; i += 16) {
                    writes.add(l.put(b("c" + i), b("v" + i)));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 400; i++) {
            int k = i;
            assertThat(retry(() -> l.get(b("c" + k)))).as("acknowledged write c" + k).isEqualTo(b("v" + k));
        }
    }
}
