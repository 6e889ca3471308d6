package io.flotilla.engine;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.RawNode;
import io.flotilla.raft.log.MemoryLogStorage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The clock's marks tell how far behind it the workers are; an idle clock wakes nobody. */
class WorkSchedulerTest {
    private static Group group(long id) {
        RawNode node = new RawNode(RaftConfig.builder(1).build(), MemoryLogStorage.withVoters(1));
        return new Group(id, 1, node, e -> { }, RouteTable.of(Map.of(1L, 1L)));
    }

    @Test
    @DisplayName("with nothing queued a tick is reached at once, and no mark is left for a worker to wake for")
    void anIdleTickIsReachedWithoutAWorker() {
        WorkScheduler s = new WorkScheduler();
        assertThat(s.mark(1)).isFalse();
        assertThat(s.mark(2)).isFalse();
        assertThat(s.reachedTick()).isEqualTo(2);
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    @DisplayName("a tick marked behind queued groups is reached only once a worker has taken them")
    void aTickBehindQueuedWorkWaitsForTheWorkers() {
        WorkScheduler s = new WorkScheduler();
        s.mark(1);
        s.schedule(group(7));
        assertThat(s.mark(2)).as("queued behind group 7: a worker must take it").isTrue();
        assertThat(s.reachedTick()).isEqualTo(1);

        List<Group> batch = new ArrayList<>();
        s.take(batch, 64);
        assertThat(batch).extracting(g -> g.groupId).containsExactly(7L);
        assertThat(s.reachedTick()).isEqualTo(2);
    }
}
