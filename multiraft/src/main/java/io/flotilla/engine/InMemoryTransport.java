package io.flotilla.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects engines in one process. In deterministic mode envelopes wait in a queue until
 * {@link #deliverDue(long)}, with seeded drop, duplicate, delay (reordering follows) and
 * partitions per node pair; in direct mode they are handed over at once (for benchmarks).
 */
public final class InMemoryTransport {
    /** Fault probabilities and delay range for the deterministic mode. */
    public record Faults(double drop, double duplicate, int maxDelayTicks) {
        public static final Faults NONE = new Faults(0, 0, 0);
    }

    private final Map<Long, NodeEngine> engines = new ConcurrentHashMap<>();
    private final boolean direct;
    private final SplittableRandom random;
    private final List<InFlight> queue = new ArrayList<>();
    private final Set<List<Long>> cut = ConcurrentHashMap.newKeySet();
    /** Directed cuts: (from, to) pairs whose traffic is lost in that direction only. */
    private final Set<List<Long>> cutOneWay = ConcurrentHashMap.newKeySet();
    private final Set<Long> down = ConcurrentHashMap.newKeySet();
    private volatile Faults faults = Faults.NONE;
    private volatile long now;

    private record InFlight(long dueTick, long seq, Envelope envelope) {
    }

    private long seq;

    private InMemoryTransport(boolean direct, long seed) {
        this.direct = direct;
        this.random = new SplittableRandom(seed);
    }

    /** Envelopes queue until {@link #deliverDue}; faults drawn from {@code seed}. */
    public static InMemoryTransport deterministic(long seed) {
        return new InMemoryTransport(false, seed);
    }

    /** Envelopes are delivered during send, on the sender's thread; no faults but partitions. */
    public static InMemoryTransport direct() {
        return new InMemoryTransport(true, 0);
    }

    public void register(NodeEngine engine) {
        engines.put(engine.nodeId(), engine);
    }

    public MessageSender senderFor(long nodeId) {
        return env -> send(env);
    }

    public void setFaults(Faults f) {
        this.faults = f;
    }

    /** Stops all traffic to and from {@code node} (a dead or stopped process). */
    public void setDown(long node, boolean isDown) {
        if (isDown) {
            down.add(node);
        } else {
            down.remove(node);
        }
    }

    public void cut(long a, long b) {
        cut.add(List.of(Math.min(a, b), Math.max(a, b)));
    }

    /** Heals the cut between {@code a} and {@code b} (both directions), leaving other cuts alone. */
    public void uncut(long a, long b) {
        cut.remove(List.of(Math.min(a, b), Math.max(a, b)));
        cutOneWay.remove(List.of(a, b));
        cutOneWay.remove(List.of(b, a));
    }

    /** Loses everything {@code from} sends to {@code to}, but not the reverse (an asymmetric partition). */
    public void cutOneWay(long from, long to) {
        cutOneWay.add(List.of(from, to));
    }

    /** Cuts {@code node} off from every other registered node, both ways. */
    public void isolate(long node) {
        for (long other : engines.keySet()) {
            if (other != node) {
                cut(node, other);
            }
        }
    }

    public void healPartitions() {
        cut.clear();
        cutOneWay.clear();
    }

    private boolean blocked(Envelope e) {
        return down.contains(e.fromNode()) || down.contains(e.toNode())
                || cut.contains(List.of(Math.min(e.fromNode(), e.toNode()), Math.max(e.fromNode(), e.toNode())))
                || cutOneWay.contains(List.of(e.fromNode(), e.toNode()));
    }

    private void send(Envelope e) {
        if (direct) {
            if (!blocked(e)) {
                NodeEngine to = engines.get(e.toNode());
                if (to != null) {
                    to.receive(e);
                }
            }
            return;
        }
        synchronized (this) {
            Faults f = faults;
            if (f.drop() > 0 && random.nextDouble() < f.drop()) {
                return;
            }
            int copies = f.duplicate() > 0 && random.nextDouble() < f.duplicate() ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                long delay = f.maxDelayTicks() == 0 ? 0 : random.nextInt(f.maxDelayTicks() + 1);
                queue.add(new InFlight(now + delay, seq++, e));
            }
        }
    }

    /**
     * Delivers every queued envelope due by {@code tick}, in a seeded order. Returns how many
     * were delivered (blocked ones are dropped).
     */
    public int deliverDue(long tick) {
        List<InFlight> due = new ArrayList<>();
        synchronized (this) {
            now = tick;
            for (var it = queue.iterator(); it.hasNext(); ) {
                InFlight f = it.next();
                if (f.dueTick() <= tick) {
                    due.add(f);
                    it.remove();
                }
            }
            // Reorder within the batch: delivery order is part of the seeded chaos.
            for (int i = due.size() - 1; i > 0 && faults.maxDelayTicks() > 0; i--) {
                int j = random.nextInt(i + 1);
                InFlight t = due.get(i);
                due.set(i, due.get(j));
                due.set(j, t);
            }
        }
        int n = 0;
        for (InFlight f : due) {
            if (blocked(f.envelope())) {
                continue;
            }
            NodeEngine to = engines.get(f.envelope().toNode());
            if (to != null) {
                to.receive(f.envelope());
                n++;
            }
        }
        return n;
    }

    public synchronized boolean hasQueued() {
        return !queue.isEmpty();
    }

    public Set<Long> nodes() {
        return new HashSet<>(engines.keySet());
    }
}
