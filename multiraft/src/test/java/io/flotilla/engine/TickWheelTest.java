package io.flotilla.engine;

import io.flotilla.raft.RawNode;
import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.log.MemoryLogStorage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The wheel hands the clock each group at the tick it is due, once, however often it was refiled. */
class TickWheelTest {
    private static Group group(long id) {
        RawNode node = new RawNode(RaftConfig.builder(1).build(), MemoryLogStorage.withVoters(1));
        return new Group(id, 1, node, e -> { }, RouteTable.of(Map.of(1L, 1L)));
    }

    private static List<Long> advance(TickWheel w, long now) {
        List<Long> fired = new ArrayList<>();
        w.advance(now, g -> fired.add(g.groupId));
        return fired;
    }

    @Test
    @DisplayName("a group fires at its due tick, not before, and only once")
    void firesAtTheDueTick() {
        TickWheel w = new TickWheel();
        Group a = group(1);
        w.schedule(a, 5);
        assertThat(advance(w, 4)).isEmpty();
        assertThat(advance(w, 5)).containsExactly(1L);
        assertThat(advance(w, 9)).isEmpty();
    }

    @Test
    @DisplayName("filed earlier, it fires at the earlier tick and the later entry is dropped")
    void movingEarlierFiresEarlierOnce() {
        TickWheel w = new TickWheel();
        Group a = group(1);
        w.schedule(a, 10);
        w.schedule(a, 3);
        assertThat(advance(w, 3)).containsExactly(1L);
        assertThat(advance(w, 20)).as("the stale entry at 10").isEmpty();
    }

    @Test
    @DisplayName("filed later, it stays in its bucket and is moved on when that comes up, firing at the later tick")
    void movingLaterFiresLater() {
        TickWheel w = new TickWheel();
        Group a = group(1);
        w.schedule(a, 3);
        w.schedule(a, 8);
        assertThat(advance(w, 3)).isEmpty();
        assertThat(w.size()).as("moved on to its bucket at 8").isEqualTo(1);
        assertThat(advance(w, 7)).isEmpty();
        assertThat(advance(w, 8)).containsExactly(1L);
    }

    @Test
    @DisplayName("a group with nothing due never fires, and leaves nothing behind")
    void neverDueNeverFires() {
        TickWheel w = new TickWheel();
        Group a = group(1);
        w.schedule(a, 4);
        w.schedule(a, Group.NEVER);
        assertThat(advance(w, 100)).isEmpty();
        assertThat(w.size()).isZero();
    }

    @Test
    @DisplayName("a due tick already passed fires at the next advance")
    void pastDueFiresNext() {
        TickWheel w = new TickWheel();
        advance(w, 10);
        Group a = group(1);
        w.schedule(a, 2);
        assertThat(advance(w, 11)).containsExactly(1L);
    }

    @Test
    @DisplayName("an advance over several ticks fires every group due in them, in tick order")
    void advanceOverSeveralTicks() {
        TickWheel w = new TickWheel();
        w.schedule(group(1), 4);
        w.schedule(group(2), 2);
        w.schedule(group(3), 9);
        assertThat(advance(w, 5)).containsExactly(2L, 1L);
    }
}
