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
}
