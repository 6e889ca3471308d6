package io.flotilla.bench.store;

import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** Splits one after another, each at the middle of its parent's span, timed until applied on the leader. */
final class SplitRun {
    private SplitRun() {
    }

    static Map<String, Object> run(StoreCluster cluster, int count) {
        int ranges = cluster.ranges();
        double[] applied = new double[count];
        double[] childLed = new double[count];
        int done = 0;
        String error = null;
        for (int i = 0; i < count; i++) {
            long parent = (i % ranges) + 1;
            long child = ranges + 1 + i;
            long t0 = System.nanoTime();
            try {
                splitOnLeader(cluster, parent, child);
            } catch (RuntimeException e) {
                error = error == null ? String.valueOf(e) : error;
                continue;
            }
            applied[done] = (System.nanoTime() - t0) / 1e6;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cluster.leaderOf(child) == null && System.nanoTime() < deadline) {
                LockSupport.parkNanos(200_000);
            }
            childLed[done] = cluster.leaderOf(child) == null ? Double.NaN : (System.nanoTime() - t0) / 1e6;
            done++;
        }
        int expected = ranges + done;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !cluster.nodes().values().stream()
                .allMatch(n -> n.descriptors().size() == expected)) {
            LockSupport.parkNanos(1_000_000);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("requested", count);
        s.put("completed", done);
        s.put("appliedMillis", summary(Arrays.copyOf(applied, done)));
        s.put("childLedMillis", summary(Arrays.stream(childLed, 0, done).filter(d -> !Double.isNaN(d)).toArray()));
        Map<String, Object> per = new LinkedHashMap<>();
        cluster.nodes().forEach((id, n) -> per.put(String.valueOf(id), n.descriptors().size()));
        s.put("rangesPerNodeAfter", per);
        s.put("firstError", error);
        s.put("note", "applied = from the split call to its result on the parent's leader; child led = from the"
                + " call until a replica of the new range leads");
        return s;
    }

    private static void splitOnLeader(StoreCluster cluster, long parent, long child) {
        for (int attempt = 0; attempt < 200; attempt++) {
            StoreNode leader = cluster.leaderOf(parent);
            if (leader == null) {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            RangeDescriptor d = leader.range(parent).descriptor();
            int lo = StoreCluster.prefix(d.startKey());
            int hi = d.endKey().length == 0 ? StoreCluster.KEY_SPACE : StoreCluster.prefix(d.endKey());
            int mid = (lo + hi) / 2;
            if (mid <= lo) {
                throw new IllegalStateException("range " + parent + " is too narrow to split: " + d);
            }
            byte[] key = {(byte) (mid >>> 8), (byte) mid};
            try {
                leader.split(parent, key, child).get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RangeException.NotLeader
                        || e.getCause() instanceof RangeException.ProposalDropped)) {
                    throw new IllegalStateException("split of " + parent + " failed: " + e.getCause(), e.getCause());
                }
                LockSupport.parkNanos(1_000_000);
            } catch (TimeoutException e) {
                throw new IllegalStateException("split of " + parent + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("split of " + parent + " found no leader");
    }

    private static Map<String, Object> summary(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.length);
        m.put("p50", s.length == 0 ? null : rank(s, 50));
        m.put("p99", s.length == 0 ? null : rank(s, 99));
        m.put("max", s.length == 0 ? null : s[s.length - 1]);
        return m;
    }

    private static double rank(double[] sorted, double pct) {
        int r = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }
}
