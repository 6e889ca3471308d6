package io.flotilla.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link NodeEngine} for real: one ticker thread for the whole node and a fixed pool of
 * workers, never a thread or timer per group. Idle workers block, so an idle node burns no CPU
 * beyond its ticks.
 */
public final class EngineRuntime implements AutoCloseable {
    private final NodeEngine engine;
    private final ScheduledExecutorService ticker;
    private final List<Thread> workers = new ArrayList<>();
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running = true;

    public EngineRuntime(NodeEngine engine) {
        this.engine = engine;
        EngineConfig c = engine.config();
        engine.setWorkListener(() -> {
            // One permit is enough to wake a worker; more would only spin them.
            if (work.availablePermits() < c.workers()) {
                work.release();
            }
        });
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flotilla-ticker-" + c.nodeId());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < c.workers(); i++) {
            Thread t = new Thread(this::workLoop, "flotilla-worker-" + c.nodeId() + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
    }

    public EngineRuntime start() {
        workers.forEach(Thread::start);
        long period = engine.config().tickMillis();
        // Fixed delay, not fixed rate: after a stall (a GC pause, a starved CPU) a fixed-rate
        // ticker replays every missed tick back to back, and a node that runs ten ticks in a few
        // milliseconds while a peer's ticker waits for a core declares that peer dead and starts
        // an election storm. Missed ticks are dropped instead: the clock only ever runs slow.
        ticker.scheduleWithFixedDelay(engine::tick, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    private void workLoop() {
        int max = engine.config().maxGroupsPerCycle();
        while (running) {
            try {
                work.acquire();
            } catch (InterruptedException e) {
                return;
            }
            while (running && engine.processCycle(max) > 0) {
                // keep draining while groups have work
            }
        }
    }

    public NodeEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        running = false;
        ticker.shutdownNow();
        work.release(workers.size());
        for (Thread t : workers) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
