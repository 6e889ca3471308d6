package io.flotilla.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's clock waits for its workers: while they are more than maxTickDebt ticks behind, a
 * tick does not advance time (it only sends the heartbeats), so an overloaded node neither
 * times out followers whose heartbeats wait in its queue nor declares live peers dead.
 */
class ClockGateTest {
    private static NodeEngine engine() {
        InMemoryLogStore store = new InMemoryLogStore();
        NodeEngine e = new NodeEngine(EngineConfig.defaults(1).withQuiescence(false), store, env -> { });
        store.bootstrap(1, 1, 2, 3);
        e.createGroup(1, 1, Map.of(1L, 1L, 2L, 2L, 3L, 3L), x -> { });
        return e;
    }

    @Test
    @DisplayName("without workers running, time advances maxTickDebt + 1 ticks and then stands still; the lost time counts as a slip")
    void clockWaitsForTheWorkers() {
        NodeEngine e = engine();
        int debt = e.config().maxTickDebt();
        for (int i = 0; i < 20; i++) {
            e.tick();
        }
        assertThat(e.currentTick()).isEqualTo(debt + 1);
        assertThat(e.metrics().clockSlips()).isEqualTo(20 - (debt + 1));
        e.runUntilIdle();
        e.tick();
        assertThat(e.currentTick()).as("caught up: time moves again").isEqualTo(debt + 2);
    }

    @Test
    @DisplayName("with the workers keeping up, every tick advances time")
    void keptUpClockTicksEveryTime() {
        NodeEngine e = engine();
        for (int i = 0; i < 50; i++) {
            e.tick();
            e.runUntilIdle();
        }
        assertThat(e.currentTick()).isEqualTo(50);
        assertThat(e.metrics().clockSlips()).isZero();
    }
}
