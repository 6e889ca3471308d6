package io.flotilla.engine;

import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link LogStore} in memory for tests, simulations and benchmarks, with honest durability:
 * writes are visible at once but survive {@link #crash()} only if a sync followed them.
 *
 * <p>One storage per group, plus what a crash would roll it back to, kept only while that
 * differs: the hard state it had (an unsynced commit index, the common case), or a copy of
 * the whole log (any other unsynced write). A node of a hundred thousand idle groups thus
 * holds each group's log once, not twice.</p>
 */
public final class InMemoryLogStore implements LogStore {
    private final SlotTable slots = new SlotTable();
    /** Slots written since the last sync: what a crash rolls back. */
    private final List<Slot> unsynced = new ArrayList<>();
    /** Bootstrap snapshots by voter set, shared: most groups start with the same members. */
    private final Map<List<Long>, Snapshot> bootstraps = new HashMap<>();
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

    /** One group's storage and, while unsynced writes exist, what is durable. */
    private static final class Slot {
        final long groupId;
        MemoryLogStorage live;
        /** The durable log when more than the commit index is unsynced; else null. */
        MemoryLogStorage durableLog;
        /**
         * The durable commit index when only the commit index is unsynced (the common case: a
         * commit index never needs a sync); else -1.
         */
        long durableCommit = -1;

        Slot(long groupId, MemoryLogStorage live) {
            this.groupId = groupId;
            this.live = live;
        }

        boolean clean() {
            return durableLog == null && durableCommit < 0;
        }

        /** Remembers what is durable before an unsynced write changes it. */
        void beforeUnsynced(Op op) {
            if (durableLog != null) {
                return;
            }
            HardState now = live.hardState();
            if (op instanceof HardStateOp h && h.hardState().term() == now.term() && h.hardState().vote() == now.vote()) {
                if (durableCommit < 0) {
                    durableCommit = now.commit();
                }
                return;
            }
            durableLog = live.copy();
            if (durableCommit >= 0) {
                durableLog.setHardState(new HardState(now.term(), now.vote(), durableCommit));
                durableCommit = -1;
            }
        }

        void synced() {
            durableLog = null;
            durableCommit = -1;
        }

        /** What survives a power failure, as a fresh object (the dead node keeps the old one). */
        void rollBack() {
            MemoryLogStorage kept = (durableLog != null ? durableLog : live).copy();
            if (durableCommit >= 0) {
                HardState hs = kept.hardState();
                kept.setHardState(new HardState(hs.term(), hs.vote(), durableCommit));
            }
            live = kept;
            synced();
        }
    }

    /**
     * Slots by group id in one open-addressing array (linear probing), rather than a map of
     * boxed keys and entry objects: three objects less per group.
     */
    private static final class SlotTable {
        private Slot[] table = new Slot[64];
        private int count;

        private static int home(long groupId, int mask) {
            long h = groupId * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        Slot get(long groupId) {
            int mask = table.length - 1;
            for (int i = home(groupId, mask); ; i = (i + 1) & mask) {
                Slot s = table[i];
                if (s == null || s.groupId == groupId) {
                    return s;
                }
            }
        }

        /** Inserts or replaces; returns the slot replaced, or null. */
        Slot put(Slot slot) {
            if ((count + 1) * 4 > table.length * 3) {
                Slot[] old = table;
                table = new Slot[old.length * 2];
                count = 0;
                for (Slot s : old) {
                    if (s != null) {
                        put(s);
                    }
                }
            }
            int mask = table.length - 1;
            for (int i = home(slot.groupId, mask); ; i = (i + 1) & mask) {
                Slot s = table[i];
                if (s == null) {
                    table[i] = slot;
                    count++;
                    return null;
                }
                if (s.groupId == slot.groupId) {
                    table[i] = slot;
                    return s;
                }
            }
        }

        Slot computeIfAbsent(long groupId, java.util.function.LongFunction<Slot> make) {
            Slot s = get(groupId);
            if (s == null) {
                s = make.apply(groupId);
                put(s);
            }
            return s;
        }

        /** Removes by shifting later entries of the probe run back, so no tombstones are needed. */
        Slot remove(long groupId) {
            int mask = table.length - 1;
            int i = home(groupId, mask);
            while (table[i] != null && table[i].groupId != groupId) {
                i = (i + 1) & mask;
            }
            Slot removed = table[i];
            if (removed == null) {
                return null;
            }
            table[i] = null;
            count--;
            for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
                int k = home(table[j].groupId, mask);
                // Move table[j] into the hole at i unless its home lies cyclically in (i, j].
                boolean homeBetween = i <= j ? (i < k && k <= j) : (i < k || k <= j);
                if (!homeBetween) {
                    table[i] = table[j];
                    table[j] = null;
                    i = j;
                }
            }
            return removed;
        }

        void forEach(java.util.function.Consumer<Slot> action) {
            for (Slot s : table) {
                if (s != null) {
                    action.accept(s);
                }
            }
        }
    }

    private sealed interface Op permits AppendOp, HardStateOp, SnapshotOp {
        long groupId();
    }

    private record AppendOp(long groupId, List<Entry> entries) implements Op {
    }

    private record HardStateOp(long groupId, HardState hardState) implements Op {
    }

    private record SnapshotOp(long groupId, Snapshot snapshot) implements Op {
    }

    /** Creates a group's storage with its initial voters (a bootstrap, durable at once). */
    public synchronized void bootstrap(long groupId, long... voters) {
        long[] sorted = voters.clone();
        Arrays.sort(sorted);
        Snapshot initial = bootstraps.computeIfAbsent(Arrays.stream(sorted).boxed().toList(),
                ids -> new Snapshot(new SnapshotMetadata(ConfState.ofVoters(sorted), 0, 0), null));
        Slot old = slots.put(new Slot(groupId, MemoryLogStorage.bootstrapped(initial)));
        if (old != null) {
            unsynced.remove(old);
        }
    }

    @Override
    public synchronized LogStorage storage(long groupId) {
        return slots.computeIfAbsent(groupId, g -> new Slot(g, new MemoryLogStorage())).live;
    }

    @Override
    public synchronized void remove(long groupId) {
        Slot s = slots.remove(groupId);
        if (s != null) {
            unsynced.remove(s);
        }
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
        for (Slot s : unsynced) {
            s.rollBack();
        }
        unsynced.clear();
        // Every storage object is replaced: the crashed node's replicas keep theirs.
        slots.forEach(s -> s.live = s.live.copy());
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

    private void apply(Op op, boolean sync) {
        Slot s = slots.computeIfAbsent(op.groupId(), g -> new Slot(g, new MemoryLogStorage()));
        if (!sync) {
            if (s.clean()) {
                unsynced.add(s);
            }
            s.beforeUnsynced(op);
        }
        if (op instanceof AppendOp a) {
            s.live.append(a.entries());
        } else if (op instanceof HardStateOp h) {
            s.live.setHardState(h.hardState());
        } else if (op instanceof SnapshotOp sn) {
            s.live.applySnapshot(sn.snapshot());
        }
    }

    private final class Batch implements WriteBatch {
        private final List<Op> ops = new ArrayList<>();

        @Override
        public void append(long groupId, List<Entry> entries) {
            if (!entries.isEmpty()) {
                ops.add(new AppendOp(groupId, entries));
            }
        }

        @Override
        public void setHardState(long groupId, HardState hardState) {
            ops.add(new HardStateOp(groupId, hardState));
        }

        @Override
        public void applySnapshot(long groupId, Snapshot snapshot) {
            ops.add(new SnapshotOp(groupId, snapshot));
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
                    apply(op, sync);
                }
                if (sync) {
                    syncs.incrementAndGet();
                    // Everything written so far, by this batch and earlier unsynced ones, is durable now.
                    for (Slot s : unsynced) {
                        s.synced();
                    }
                    unsynced.clear();
                }
            }
        }
    }
}
