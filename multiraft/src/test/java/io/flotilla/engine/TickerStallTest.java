package io.flotilla.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After its ticker stalls (a GC pause, a starved CPU), a node's clock resumes at its normal rate
 * instead of replaying every missed tick back to back. Found by the idle benchmark: with a
 * fixed-rate ticker, a 5 s pause in a JVM holding 3 quiesced nodes made one node run its missed
 * ticks before a peer's ticker got a core, declare that peer dead (the liveness timeout counts
 * ticks) and start ~1,000 needless elections. The stall is real time here, as EngineRuntime is.
 */
class TickerStallTest {
    private static final long TICK_MS = 5;

    @Test
    @DisplayName("missed ticks are dropped, not replayed in a burst that would fake a peer's death")
    void aStalledTickerDoesNotReplayMissedTicks() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The ticker sends each tick's liveness envelope to node 2 itself: blocking that send stalls the clock.
        MessageSender sender = env -> {
            if (Thread.currentThread().getName().startsWith("flotilla-ticker") && armed.compareAndSet(true, false)) {
                stalled.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        InMemoryLogStore store = new InMemoryLogStore();
        store.bootstrap(1, 1, 2);
        NodeEngine engine = new NodeEngine(EngineConfig.defaults(1).withTickMillis(TICK_MS).withWorkers(1), store,
                sender);
        engine.createGroup(1, 1, Map.of(1L, 1L, 2L, 2L), e -> { });
        try (EngineRuntime runtime = new EngineRuntime(engine).start()) {
            armed.set(true);
            assertThat(stalled.await(10, TimeUnit.SECONDS)).as("the ticker reached the blocking send").isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100 * TICK_MS)); // ~100 ticks missed
            long before = engine.currentTick();
            long start = System.nanoTime();
            release.countDown();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(4 * TICK_MS));
            long ticks = engine.currentTick() - before;
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ticks).as(ticks + " ticks in the " + elapsedMs + " ms after the stall")
                    .isLessThanOrEqualTo(elapsedMs / TICK_MS + 3);
        }
    }
}
