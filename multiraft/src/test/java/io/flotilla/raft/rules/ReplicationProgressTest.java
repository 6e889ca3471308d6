package io.flotilla.raft.rules;

import io.flotilla.raft.Raft;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.testing.TestCluster;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flotilla.raft.rules.Fixtures.PLAIN;
import static io.flotilla.raft.rules.Fixtures.concat;
import static io.flotilla.raft.rules.Fixtures.ofType;
import static io.flotilla.raft.rules.Fixtures.repeat;
import static io.flotilla.raft.rules.Fixtures.stabilize;
import static io.flotilla.raft.rules.Fixtures.storage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader's per-follower replication state (Raft paper §5.3 nextIndex/matchIndex) and the
 * flow control around it: probe one message at a time, pipeline within a bounded window once
 * the follower's position is known, and back off quickly over a divergent log.
 */
class ReplicationProgressTest {
    private static final long[] THREE = {1, 2, 3};

    private static List<Message> appendsTo(List<Message> sent, long to) {
        return sent.stream().filter(m -> m.type() == MessageType.APPEND && m.to() == to).toList();
    }

    /** Appends carrying entries; empty ones (carrying only the commit index) take no room in the window. */
    private static int entryAppendsTo(List<Message> sent, long to) {
        return (int) appendsTo(sent, to).stream().filter(m -> !m.entries().isEmpty()).count();
    }

    @Test
    @DisplayName("§5.3: a new leader probes every follower, then replicates once the follower's match is known")
    void probeThenReplicate() {
        TestCluster c = TestCluster.of(3);
        c.campaign(1);
        Raft r = c.node(1).node().raft();
        while (r.role() != StateRole.LEADER) {
            c.processReady();
            c.deliverAll();
        }
        for (long id = 2; id <= 3; id++) {
            Progress p = r.tracker().get(id);
            assertThat(p.state()).isEqualTo(ProgressState.PROBE);
            assertThat(p.match()).isZero();
            assertThat(p.next()).isEqualTo(r.log().lastIndex());
        }
        stabilize(c);
        for (long id = 2; id <= 3; id++) {
            Progress p = r.tracker().get(id);
            assertThat(p.state()).isEqualTo(ProgressState.REPLICATE);
            assertThat(p.match()).isEqualTo(r.log().lastIndex());
            assertThat(p.next()).isEqualTo(r.log().lastIndex() + 1);
        }
    }

    @Test
    @DisplayName("§5.3: in probe state at most one append is outstanding until the follower answers")
    void probeSendsOneMessageAtATime() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        Raft r = c.node(1).node().raft();
        c.isolate(3);
        // An unreachable report puts 3 into probe state.
        c.node(1).node().reportUnreachable(3);
        assertThat(r.tracker().get(3).state()).isEqualTo(ProgressState.PROBE);
        int appendsToThree = 0;
        for (int i = 0; i < 5; i++) {
            c.propose(1, "p" + i);
            appendsToThree += appendsTo(stabilize(c), 3).size();
        }
        assertThat(appendsToThree).isEqualTo(1);
        assertThat(r.tracker().get(3).isPaused()).isTrue();
        assertThat(c.node(2).appliedData()).hasSize(5);
    }

    @Test
    @DisplayName("flow control: in replicate state no more than maxInflightMsgs appends are in flight to a follower")
    void inflightWindowBoundedInMessages() {
        TestCluster c = TestCluster.of(3, b -> b.maxInflightMsgs(2));
        c.elect(1);
        Raft r = c.node(1).node().raft();
        c.isolate(3);
        int appendsToThree = 0;
        for (int i = 0; i < 6; i++) {
            c.propose(1, "p" + i);
            appendsToThree += entryAppendsTo(stabilize(c), 3);
        }
        Progress p = r.tracker().get(3);
        assertThat(p.state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(appendsToThree).isEqualTo(2);
        assertThat(p.inflights().count()).isEqualTo(2);
        assertThat(p.isPaused()).isTrue();

        // A heartbeat answer proves 3 is alive: a slot frees, replication resumes and catches up.
        c.heal();
        c.tick(1, 1);
        stabilize(c);
        assertThat(c.node(3).appliedData()).containsExactly("p0", "p1", "p2", "p3", "p4", "p5");
        assertThat(p.match()).isEqualTo(r.log().lastIndex());
    }

    @Test
    @DisplayName("flow control: the inflight window is also bounded in bytes (maxInflightBytes)")
    void inflightWindowBoundedInBytes() {
        TestCluster c = TestCluster.of(3, b -> b.maxInflightBytes(200));
        c.elect(1);
        Raft r = c.node(1).node().raft();
        c.isolate(3);
        String fifty = "x".repeat(50); // 74 bytes with the per-entry overhead
        int appendsToThree = 0;
        for (int i = 0; i < 6; i++) {
            c.propose(1, fifty);
            appendsToThree += entryAppendsTo(stabilize(c), 3);
        }
        Progress p = r.tracker().get(3);
        assertThat(appendsToThree).as("74 + 74 < 200 <= 74 * 3").isEqualTo(3);
        assertThat(p.inflights().bytes()).isGreaterThanOrEqualTo(200);
        assertThat(p.isPaused()).isTrue();
        assertThat(c.node(2).appliedData()).hasSize(6);
    }

    @Test
    @DisplayName("§5.3 fast back-off: a follower with a long divergent tail is caught up in one rejected round trip")
    void fastBackOffOverDivergentTail() {
        // Leader-to-be: 1@1 then 49 entries of term 3. Follower 2: 1@1 then 199 entries of term 2.
        TestCluster c = new TestCluster();
        c.add(1, storage(THREE, 3, 0, concat(new long[] {1}, repeat(3, 49))), PLAIN);
        c.add(2, storage(THREE, 2, 0, concat(new long[] {1}, repeat(2, 199))), PLAIN);
        c.add(3, storage(THREE, 3, 0, 1), PLAIN);
        c.campaign(1);
        List<Message> sent = stabilize(c);
        Raft leader = c.node(1).node().raft();
        assertThat(c.leader()).isEqualTo(1);

        List<Message> rejections = ofType(sent, MessageType.APPEND_RESPONSE).stream()
                .filter(m -> m.from() == 2 && m.reject()).toList();
        assertThat(rejections).hasSize(1);
        assertThat(appendsTo(sent, 2)).hasSizeLessThanOrEqualTo(3);
        Raft follower = c.node(2).node().raft();
        assertThat(follower.log().lastIndex()).isEqualTo(leader.log().lastIndex()).isEqualTo(51);
        for (long i = 1; i <= 51; i++) {
            assertThat(follower.log().term(i)).isEqualTo(leader.log().term(i));
        }
    }

    @Test
    @DisplayName("§5.3 fast back-off: a follower far behind is probed at its last index after one rejection")
    void fastBackOffOverShortLog() {
        TestCluster c = new TestCluster();
        c.add(1, storage(THREE, 3, 0, concat(new long[] {1}, repeat(3, 99))), PLAIN);
        c.add(2, storage(THREE, 3, 0, 1, 3), PLAIN);
        c.add(3, storage(THREE, 3, 0, 1), PLAIN);
        c.campaign(1);
        List<Message> sent = stabilize(c);
        List<Message> rejections = ofType(sent, MessageType.APPEND_RESPONSE).stream()
                .filter(m -> m.reject() && m.from() != 1).toList();
        assertThat(rejections).hasSize(2); // one per follower
        assertThat(c.node(2).node().raft().log().lastIndex()).isEqualTo(101);
        assertThat(c.node(3).node().raft().log().lastIndex()).isEqualTo(101);
        assertThat(c.node(1).node().raft().log().committed()).isEqualTo(101);
    }

    @Test
    @DisplayName("§5.3: an accepted append moves match and next; a stale duplicate acknowledgement changes nothing")
    void staleAcknowledgementIgnored() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.propose(1, "a");
        c.stabilize();
        Raft r = c.node(1).node().raft();
        Progress p = r.tracker().get(2);
        long match = p.match();
        long next = p.next();
        c.node(1).node().step(Message.builder(MessageType.APPEND_RESPONSE).from(2).to(1).term(r.term())
                .index(match - 1).build());
        assertThat(p.match()).isEqualTo(match);
        assertThat(p.next()).isEqualTo(next);
        assertThat(p.state()).isEqualTo(ProgressState.REPLICATE);
    }
}
