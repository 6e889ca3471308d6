package io.flotilla.bench.core;

import io.flotilla.raft.message.Entry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replication throughput of the Raft core: one group of three in-memory replicas; each
 * invocation proposes a batch of {@value #BATCH} entries on the leader and runs the
 * Ready/deliver loop until the group is quiet, by which time the batch is committed and
 * applied on the leader and on both followers. Logs are compacted every
 * {@value #MAX_RETAINED} entries so memory stays bounded however long the run.
 *
 * <p>Unit: JMH ops/s where one op is one entry ({@code @OperationsPerInvocation}), so the
 * score is entries committed per second, on one thread.</p>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProposalThroughputBenchmark {
    /** Entries per proposal; fixed because {@code @OperationsPerInvocation} must be a constant. */
    public static final int BATCH = 64;
    /** Log entries a replica may hold before the host compacts. */
    public static final int MAX_RETAINED = 4096;

    /** Payload bytes of each entry. */
    @Param("16")
    public int entryBytes;

    MemoryGroup group;
    MemoryReplica leader;
    /**
     * The proposal, reused: entries are immutable and the leader re-stamps each with its term
     * and index, so reuse leaves out only the client's cost of building payloads.
     */
    List<Entry> batch;

    @Setup
    public void setUp() {
        group = MemoryGroup.of(3);
        leader = group.elect(1);
        List<Entry> b = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            byte[] payload = new byte[entryBytes];
            payload[0] = (byte) i;
            b.add(Entry.normal(0, 0, payload));
        }
        batch = List.copyOf(b);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Measures("one 16-byte entry, proposed in a batch of 64, committed and applied on all 3 in-memory replicas")
    public long proposeBatch() {
        leader.node().propose(batch);
        group.runUntilQuiet();
        group.compactIfLonger(MAX_RETAINED);
        return leader.appliedIndex();
    }
}
