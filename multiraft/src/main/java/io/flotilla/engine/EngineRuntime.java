package io.flotilla.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link NodeEngine} for real: one ticker thread for the whole node and a fixed pool of
 * workers, never a thread or timer per group. Idle workers block, so an idle node burns no CPU
 * beyond its ticks.
 */
public final class EngineRuntime implements AutoCloseable {
    private final NodeEngine engine;
    private final Thread ticker;
    private final List<Thread> workers = new ArrayList<>();
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile java.util.function.Consumer<Throwable> onFailure = e -> { };

    public EngineRuntime(NodeEngine engine) {
        this.engine = engine;
        EngineConfig c = engine.config();
        engine.setWorkListener(() -> {
            // One permit is enough to wake a worker; more would only spin them.
            if (work.availablePermits() < c.workers()) {
                work.release();
            }
        });
        this.ticker = new Thread(this::tickLoop, "flotilla-ticker-" + c.nodeId());
        ticker.setDaemon(true);
        for (int i = 0; i < c.workers(); i++) {
            Thread t = new Thread(this::workLoop, "flotilla-worker-" + c.nodeId() + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
    }

    public EngineRuntime start() {
        workers.forEach(Thread::start);
        ticker.start();
        return this;
    }

    /**
     * Ticks at a fixed rate: tick n is due n periods after the start, so the time a tick takes
     * does not slow the clock down (with a fixed delay after each tick, a 30 ms tick made the
     * clock run 30% slow, and the liveness and election timeouts with it). When the ticker falls
     * more than a period behind (a GC pause, a starved CPU) the missed ticks are dropped, never
     * replayed: a node that ran ten ticks in a few milliseconds while a peer's ticker waited for
     * a core would declare that peer dead and start an election storm. Dropping time is
     * reported to the engine, which then trusts no lease for a while.
     */
    private void tickLoop() {
        long period = TimeUnit.MILLISECONDS.toNanos(engine.config().tickMillis());
        long next = System.nanoTime() + period;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue; // a park may return early
            }
            try {
                engine.tick();
            } catch (RuntimeException e) {
                // Report it, but keep the clock going: a failing send must not stop every group.
                Thread self = Thread.currentThread();
                self.getUncaughtExceptionHandler().uncaughtException(self, e);
            }
            next += period;
            long now = System.nanoTime();
            if (now - next > period) {
                next = now + period;
                engine.clockSlipped();
            }
        }
    }

    private void workLoop() {
        int max = engine.config().maxGroupsPerCycle();
        while (running) {
            try {
                work.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                while (running && engine.processCycle(max) > 0) {
                    // keep draining while groups have work
                }
            } catch (RuntimeException | Error e) {
                fail(e);
                return;
            }
        }
    }

    /**
     * A cycle threw (a storage error, a state machine that failed to apply): the groups of that
     * batch are left half way through a Ready and nothing can finish them, so the whole engine
     * stops (fail-stop) rather than limp on with some groups wedged while its liveness pings
     * tell the peers all is well. Stopped, it ticks and pings no more: the peers declare this
     * node dead and take its groups over. The host hears of it through {@link #onFailure}.
     */
    private void fail(Throwable e) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = e;
        }
        Thread self = Thread.currentThread();
        self.getUncaughtExceptionHandler().uncaughtException(self, e);
        running = false;
        ticker.interrupt();
        work.release(workers.size());
        onFailure.accept(e);
    }

    /** Called once, on a worker, if the engine stops because a cycle threw; a node may exit. */
    public EngineRuntime onFailure(java.util.function.Consumer<Throwable> handler) {
        this.onFailure = handler;
        return this;
    }

    /** Waits until the ticker and every worker have ended; whether they did within the timeout. */
    boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Thread> all = new ArrayList<>(workers);
        all.add(ticker);
        for (Thread t : all) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Why the engine stopped on its own, or null while it runs (or was closed). */
    public Throwable failure() {
        return failure;
    }

    public NodeEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        running = false;
        ticker.interrupt();
        work.release(workers.size());
        List<Thread> all = new ArrayList<>(workers);
        all.add(ticker);
        for (Thread t : all) {
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
