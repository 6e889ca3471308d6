package io.flotilla.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine on real threads: one ticker and a fixed worker pool per node, direct in-memory transport. */
class EngineRuntimeTest {
    private static final Executor RETRY_DELAY = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

    /** Proposes until some replica accepts it as leader and applies it, or the attempts run out. */
    private static CompletableFuture<Long> proposeUntilApplied(List<NodeEngine> nodes, long group, byte[] data,
                                                               int attemptsLeft) {
        NodeEngine target = nodes.get((int) (attemptsLeft % nodes.size()));
        return target.propose(group, data).thenCompose(index -> index > 0
                        ? CompletableFuture.completedFuture(index)
                        : CompletableFuture.<Long>failedFuture(new IllegalStateException("forwarded")))
                .exceptionallyCompose(e -> attemptsLeft == 0 ? CompletableFuture.failedFuture(e)
                        : CompletableFuture.supplyAsync(() -> null, RETRY_DELAY)
                        .thenCompose(x -> proposeUntilApplied(nodes, group, data, attemptsLeft - 1)));
    }

    @Test
    void groupsOnThreadedEnginesElectAndCommitWithAFixedThreadCount() throws Exception {
        InMemoryTransport transport = InMemoryTransport.direct();
        List<EngineRuntime> runtimes = new ArrayList<>();
        List<NodeEngine> nodes = new ArrayList<>();
        int threadsBefore = Thread.activeCount();
        for (long id = 1; id <= 3; id++) {
            EngineConfig cfg = EngineConfig.defaults(id).withTickMillis(10).withWorkers(2);
            InMemoryLogStore store = new InMemoryLogStore();
            NodeEngine e = new NodeEngine(cfg, store, transport.senderFor(id));
            transport.register(e);
            for (long g = 1; g <= 200; g++) {
                store.bootstrap(g, 1, 2, 3);
                Map<Long, Long> routes = new TreeMap<>(Map.of(1L, 1L, 2L, 2L, 3L, 3L));
                e.createGroup(g, id, routes, new CountingStateMachine());
            }
            nodes.add(e);
            runtimes.add(new EngineRuntime(e).start());
        }
        try {
            // 200 groups x 3 replicas, yet only a ticker and two workers per node.
            assertThat(Thread.activeCount() - threadsBefore).isLessThanOrEqualTo(3 * 3 + 3);
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (long g = 1; g <= 200; g++) {
                writes.add(proposeUntilApplied(nodes, g, ("w" + g).getBytes(StandardCharsets.UTF_8), 500));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Long> w : writes) {
                assertThat(w.join()).isPositive();
            }
        } finally {
            runtimes.forEach(EngineRuntime::close);
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a cycle that throws stops the whole engine (fail-stop): no more ticks or liveness pings, so the peers take its groups over")
    void aFailingCycleStopsTheEngine() throws Exception {
        List<Envelope> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        InMemoryLogStore store = new InMemoryLogStore();
        store.bootstrap(1, 1);
        NodeEngine e = new NodeEngine(EngineConfig.defaults(1).withTickMillis(10).withWorkers(2), store, sent::add);
        e.createGroup(1, 1, Map.of(1L, 1L), new GroupStateMachine() {
            @Override
            public void apply(io.flotilla.raft.message.Entry entry) {
                if (entry.data().length > 0) {
                    throw new IllegalStateException("disk on fire");
                }
            }
        });
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        EngineRuntime runtime = new EngineRuntime(e).onFailure(reported::complete);
        Thread.UncaughtExceptionHandler quiet = (t, x) -> { };
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(quiet);
        try {
            // Elected on the test's own ticks, before any thread runs: time is ticks, not sleeps.
            for (int t = 0; t < 100 && e.info(1).role() != io.flotilla.raft.StateRole.LEADER; t++) {
                e.tick();
                e.runUntilIdle();
            }
            assertThat(e.info(1).role()).isEqualTo(io.flotilla.raft.StateRole.LEADER);
            CompletableFuture<Long> write = e.propose(1, "x".getBytes(StandardCharsets.UTF_8));
            runtime.start(); // a worker takes the proposal, and applying it throws

            assertThat(reported.get(10, TimeUnit.SECONDS)).hasMessage("disk on fire");
            assertThat(runtime.failure()).isSameAs(reported.join());
            assertThat(runtime.awaitStopped(10, TimeUnit.SECONDS)).as("ticker and workers ended: no more ticks").isTrue();
            assertThat(write).isNotNull();
                } finally {
            runtime.close();
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }
}
