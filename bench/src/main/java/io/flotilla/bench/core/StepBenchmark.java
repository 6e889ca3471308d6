package io.flotilla.bench.core;

import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one message on a follower, the way a host handles it: step the message, take
 * the Ready, persist (in memory), hand out the response, apply, advance. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the allocation per message.
 *
 * <ul>
 *   <li>{@link #heartbeat()}: a leader heartbeat at the current term and commit; the Ready
 *       holds just the HEARTBEAT_RESPONSE. This is what every idle group pays per heartbeat.</li>
 *   <li>{@link #append()}: an APPEND of one new entry that also commits the previous one, as
 *       in a steady stream; the Ready persists one entry, applies one, and answers.</li>
 *   <li>{@link #appendMessageOnly()}: only building that APPEND message, to subtract: a real
 *       host allocates the message when it decodes it from the wire, not in Raft.</li>
 * </ul>
 * Unit: ns per message (average time), and bytes per message allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StepBenchmark {
    private static final long LEADER = 1;
    private static final long FOLLOWER = 2;
    /** Log entries the follower may hold before its host compacts. */
    private static final int MAX_RETAINED = 4096;

    /** Payload bytes of the appended entry. */
    @Param("16")
    public int entryBytes;

    MemoryReplica follower;
    /** Keeps the follower's last outgoing message: the step benchmarks deliver nowhere. */
    final LastMessage out = new LastMessage();
    Message heartbeatMessage;
    byte[] payload;
    long term;
    long nextIndex;

    @Setup
    public void setUp() {
        MemoryGroup group = MemoryGroup.of(3);
        MemoryReplica leader = group.elect(LEADER);
        follower = group.replica(FOLLOWER);
        term = leader.node().raft().term();
        long commit = follower.node().raft().log().committed();
        heartbeatMessage = Message.builder(MessageType.HEARTBEAT).to(FOLLOWER).from(LEADER).term(term)
                .commit(commit).build();
        payload = new byte[entryBytes];
        nextIndex = follower.node().raft().log().lastIndex() + 1;
    }

    @Benchmark
    @Measures("one HEARTBEAT stepped into a follower, its Ready taken and handled, advance")
    public Message heartbeat() {
        follower.node().step(heartbeatMessage);
        follower.handleReady(out);
        return out.last;
    }

    @Benchmark
    @Measures("one APPEND (1 new 16-byte entry, commits the previous) stepped into a follower,"
            + " Ready persisted and applied, advance; includes building the message")
    public Message append() {
        Message m = appendMessage();
        follower.node().step(m);
        follower.handleReady(out);
        nextIndex++;
        follower.compactTo(follower.appliedIndex(), MAX_RETAINED);
        return out.last;
    }

    @Benchmark
    @Measures("building the APPEND message of append() only (Entry, list, Message): subtract it from append()")
    public Message appendMessageOnly() {
        Message m = appendMessage();
        nextIndex++;
        return m;
    }

    /** The leader's append of entry {@code nextIndex}, committing everything before it. */
    Message appendMessage() {
        long prev = nextIndex - 1;
        Entry e = Entry.normal(term, nextIndex, payload);
        return Message.builder(MessageType.APPEND).to(FOLLOWER).from(LEADER).term(term).index(prev).logTerm(term)
                .entries(List.of(e)).commit(prev).build();
    }

    /** A sink that remembers the last message and counts them. */
    static final class LastMessage implements MessageSink {
        Message last;
        long count;

        @Override
        public void send(Message m) {
            last = m;
            count++;
        }
    }
}
