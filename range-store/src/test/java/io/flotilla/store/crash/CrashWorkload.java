package io.flotilla.store.crash;

import io.flotilla.engine.EngineConfig;
import io.flotilla.engine.InMemoryTransport;
import io.flotilla.store.node.StoreLimits;
import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.KvOp;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.RangeStateMachine;
import io.flotilla.store.range.ReplicaDescriptor;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link CrashRecoveryTest}: three nodes with real RocksDB in one JVM.
 * {@code write DIR ROUND} writes until killed, printing {@code ACK key} after each write is
 * acknowledged; {@code verify DIR KEYFILE} reopens, reads every key back and prints
 * {@code MISSING key}, the recovery positions, and {@code VERIFIED n}.
 */
public final class CrashWorkload {
    private static final RangeDescriptor WHOLE = new RangeDescriptor(1, new byte[0], new byte[0],
            List.of(new ReplicaDescriptor(1, 1, false), new ReplicaDescriptor(2, 2, false),
                    new ReplicaDescriptor(3, 3, false)), 1, 1);

    private CrashWorkload() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path dir = Path.of(args[1]);
        boolean fresh = !Files.exists(dir.resolve("n1"));
        InMemoryTransport transport = InMemoryTransport.direct();
        List<StoreNode> nodes = new ArrayList<>();
        for (long id = 1; id <= 3; id++) {
            StoreNode n = new StoreNode(EngineConfig.defaults(id).withTickMillis(20).withWorkers(1),
                    dir.resolve("n" + id), 8 << 20, StoreLimits.DEFAULT, transport.senderFor(id));
            transport.register(n.engine());
            if (fresh) {
                n.bootstrapRange(WHOLE);
            }
            nodes.add(n);
        }
        if (args[0].equals("write")) {
            out.println("READY");
            String round = args[2];
            // Bounded: at most 100,000 writes or 120 s, though the parent kills it much sooner.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
                String key = "r" + round + "-" + i;
                if (write(nodes, key)) {
                    out.println("ACK " + key);
                }
            }
        } else {
            for (StoreNode n : nodes) {
                RangeStateMachine sm = n.range(1);
                out.println("RECOVERY node=" + n.nodeId() + " loaded=" + sm.loadedAppliedIndex());
            }
            int missing = 0;
            List<String> keys = Files.readAllLines(Path.of(args[2]));
            for (String key : keys) {
                byte[] v = read(nodes, key.getBytes(StandardCharsets.UTF_8));
                if (v == null || !new String(v, StandardCharsets.UTF_8).equals("value-of-" + key)) {
                    out.println("MISSING " + key);
                    missing++;
                }
            }
            for (StoreNode n : nodes) {
                RangeStateMachine sm = n.range(1);
                out.println("RESUMED node=" + n.nodeId() + " loaded=" + sm.loadedAppliedIndex() + " first="
                        + sm.firstAppliedAfterLoad());
            }
            out.println("VERIFIED " + keys.size() + " missing=" + missing);
            nodes.forEach(StoreNode::close);
        }
    }

    private static boolean write(List<StoreNode> nodes, String key) throws InterruptedException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = ("value-of-" + key).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 1000; attempt++) {
            StoreNode n = nodes.get(attempt % nodes.size());
            try {
                n.write(List.of(new KvOp.Put(k, v))).get(10, TimeUnit.SECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof RangeException.NotLeader)
                        && !(e.getCause() instanceof RangeException.ProposalDropped)) {
                    return false;
                }
                Thread.sleep(5);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            }
        }
        return false;
    }

    private static byte[] read(List<StoreNode> nodes, byte[] key) throws InterruptedException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            try {
                return nodes.get(attempt % nodes.size()).get(key).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("could not read " + new String(key, StandardCharsets.UTF_8));
    }
}
