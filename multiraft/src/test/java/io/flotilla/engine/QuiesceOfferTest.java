package io.flotilla.engine;

import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower judges a leader's quiesce request after the cycle that drained it has applied
 * and advanced. Found by the idle benchmark: on real threads a plain heartbeat often sat in the
 * inbox just before the request; stepping it left a Ready pending, the follower refused, and it
 * stayed awake under a quiesced leader until its election timer fired — 10k groups took 14 s
 * instead of 2 s to quiesce, with extra elections. Driven by hand here, one engine, no threads.
 */
class QuiesceOfferTest {
    private static final long GROUP = 1;
    private static final long LEADER = 1;
    private static final long ME = 2;

    private final List<Envelope> sent = new ArrayList<>();
    private NodeEngine follower;

    /** Node 2 follows replica 1 at term 1 and holds entry 1, not yet known to be committed. */
    @BeforeEach
    void followerWithOneUncommittedEntry() {
        InMemoryLogStore store = new InMemoryLogStore();
        store.bootstrap(GROUP, 1, 2, 3);
        follower = new NodeEngine(EngineConfig.defaults(ME), store, sent::add);
        follower.createGroup(GROUP, ME, Map.of(1L, 1L, 2L, 2L, 3L, 3L), e -> { });
        Message append = Message.builder(MessageType.APPEND).from(LEADER).to(ME).term(1).logTerm(0).index(0)
                .entries(List.of(Entry.empty(1, 1))).commit(0).build();
        follower.receive(new Envelope(LEADER, ME, List.of(new GroupMessage(GROUP, append)), List.of(), List.of()));
        follower.runUntilIdle();
        NodeEngine.GroupInfo info = follower.info(GROUP);
        assertThat(info.role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(info.leader()).isEqualTo(LEADER);
        assertThat(info.commit()).isZero();
    }

    private void deliverHeartbeats(HeartbeatItem... items) {
        follower.receive(new Envelope(LEADER, ME, List.of(), List.of(items), List.of()));
        follower.runUntilIdle();
    }

    @Test
    @DisplayName("a heartbeat drained just before the quiesce request does not make the follower refuse")
    void heartbeatThenQuiesceInOneDrainQuiesces() {
        deliverHeartbeats(new HeartbeatItem(GROUP, LEADER, ME, 1, 1, false),
                new HeartbeatItem(GROUP, LEADER, ME, 1, 1, true));
        NodeEngine.GroupInfo info = follower.info(GROUP);
        assertThat(info.applied()).isEqualTo(1);
        assertThat(info.quiesced()).as("quiesced after applying what the heartbeat committed").isTrue();
        assertThat(follower.metrics().awakeGroups()).isZero();
    }

    @Test
    @DisplayName("a quiesce request that also tells the follower the commit index quiesces it in one cycle")
    void quiesceRequestCarryingTheCommitQuiesces() {
        deliverHeartbeats(new HeartbeatItem(GROUP, LEADER, ME, 1, 1, true));
        assertThat(follower.info(GROUP).applied()).isEqualTo(1);
        assertThat(follower.info(GROUP).quiesced()).isTrue();
    }

    @Test
    @DisplayName("a follower missing entries the leader has, or at another term, refuses and keeps its timer")
    void aFollowerThatDisagreesStaysAwake() {
        deliverHeartbeats(new HeartbeatItem(GROUP, LEADER, ME, 1, 2, true));
        assertThat(follower.info(GROUP).quiesced()).as("the leader has entry 2, we do not").isFalse();
        deliverHeartbeats(new HeartbeatItem(GROUP, 3, ME, 0, 1, true));
        assertThat(follower.info(GROUP).quiesced()).as("a stale leader's request").isFalse();
        assertThat(follower.metrics().awakeGroups()).isEqualTo(1);
    }
}
