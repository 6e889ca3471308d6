package io.flotilla.engine;

import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link LogStore} in memory for tests, simulations and benchmarks, with honest durability:
 * writes are visible at once but survive {@link #crash()} only if a sync followed them.
 */
public final class InMemoryLogStore implements LogStore {
    private final Map<Long, MemoryLogStorage> live = new HashMap<>();
    private final Map<Long, MemoryLogStorage> durable = new HashMap<>();
    private final List<Op> unsynced = new ArrayList<>();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    /** Armed by {@link #crashAtNextSync(boolean)}: the next synced batch fails as the power does. */
    private boolean crashAtNextSync;

    /**
     * Thrown out of a synced batch's commit when the store was armed to crash there: the
     * process dies inside the fsync, before anything it would send after persisting leaves.
     * The host must treat its node as killed (see {@link LocalCluster}).
     */
    public static final class PowerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PowerFailure() {
            super("power failure during sync", null, false, false);
        }
    }

    private record Op(long groupId, Consumer<MemoryLogStorage> write) {
    }

    /** Creates a group's storage with its initial voters (a bootstrap, durable at once). */
    public synchronized void bootstrap(long groupId, long... voters) {
        MemoryLogStorage s = MemoryLogStorage.withVoters(voters);
        live.put(groupId, s);
        durable.put(groupId, s.copy());
    }

    @Override
    public synchronized LogStorage storage(long groupId) {
        return live.computeIfAbsent(groupId, g -> {
            MemoryLogStorage s = new MemoryLogStorage();
            durable.put(g, s.copy());
            return s;
        });
    }

    @Override
    public synchronized void remove(long groupId) {
        live.remove(groupId);
        durable.remove(groupId);
    }

    /**
     * Makes the next synced batch fail with {@link PowerFailure} before any of it (or any earlier
     * unsynced write) becomes durable: a crash in the middle of a Ready cycle, after the cycle's
     * early messages left but before its sync finished. {@code false} disarms it.
     */
    public synchronized void crashAtNextSync(boolean armed) {
        crashAtNextSync = armed;
    }

    /** Loses every write not followed by a sync, as a power failure would. */
    public synchronized void crash() {
        crashAtNextSync = false;
        unsynced.clear();
        live.clear();
        durable.forEach((g, s) -> live.put(g, s.copy()));
    }

    public long syncs() {
        return syncs.get();
    }

    public long batches() {
        return writes.get();
    }

    @Override
    public WriteBatch newBatch() {
        return new Batch();
    }

    private final class Batch implements WriteBatch {
        private final List<Op> ops = new ArrayList<>();

        @Override
        public void append(long groupId, List<Entry> entries) {
            if (!entries.isEmpty()) {
                ops.add(new Op(groupId, s -> s.append(entries)));
            }
        }

        @Override
        public void setHardState(long groupId, HardState hardState) {
            ops.add(new Op(groupId, s -> s.setHardState(hardState)));
        }

        @Override
        public void applySnapshot(long groupId, Snapshot snapshot) {
            ops.add(new Op(groupId, s -> s.applySnapshot(snapshot)));
        }

        @Override
        public boolean isEmpty() {
            return ops.isEmpty();
        }

        @Override
        public void commit(boolean sync) {
            synchronized (InMemoryLogStore.this) {
                if (sync && crashAtNextSync) {
                    crashAtNextSync = false;
                    throw new PowerFailure();
                }
                writes.incrementAndGet();
                for (Op op : ops) {
                    op.write.accept(live.computeIfAbsent(op.groupId, g -> new MemoryLogStorage()));
                }
                unsynced.addAll(ops);
                if (sync) {
                    syncs.incrementAndGet();
                    for (Op op : unsynced) {
                        op.write.accept(durable.computeIfAbsent(op.groupId, g -> new MemoryLogStorage()));
                    }
                    unsynced.clear();
                }
            }
        }
    }
}
