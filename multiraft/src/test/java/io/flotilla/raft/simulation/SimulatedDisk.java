package io.flotilla.raft.simulation;

import io.flotilla.raft.Ready;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.HardState;

/**
 * One replica's disk, modelled as a write-ahead log whose syncs are sequential: a sync makes
 * every earlier write durable. The host syncs every Ready that asks for it (entries,
 * snapshot, term or vote) before that Ready's {@code messagesAfterPersist} leave, so the
 * entries and snapshot in {@link #storage()} are always durable; a crash in the middle of a
 * Ready is modelled by never writing that Ready at all. What can be lost at rest is a hard
 * state written by a Ready that did not need a sync (only the commit index moved): a crash
 * keeps the last synced hard state, or, if the OS happened to flush it, the last written one.
 */
final class SimulatedDisk {
    private final MemoryLogStorage storage;
    private HardState synced;

    SimulatedDisk(MemoryLogStorage storage) {
        this.storage = storage;
        this.synced = storage.hardState();
    }

    /** The storage the Raft core reads; it holds what was written, synced or not. */
    MemoryLogStorage storage() {
        return storage;
    }

    /** What a crash now would leave of the hard state. */
    HardState durableHardState() {
        return synced;
    }

    /** The commit index a restart would come back with. */
    long durableCommit() {
        return Math.max(synced.commit(), storage.firstIndex() - 1);
    }

    /** Whether entry {@code index} of term {@code term} survives a crash. */
    boolean holds(long index, long term) {
        if (index <= storage.snapshot().index()) {
            return true; // folded into the durable snapshot (log matching is checked separately)
        }
        if (index < storage.firstIndex() || index > storage.lastIndex()) {
            return false;
        }
        return storage.term(index) == term;
    }

    /** Writes a Ready's snapshot, entries and hard state, without syncing. */
    void write(Ready rd) {
        if (rd.snapshot() != null) {
            storage.applySnapshot(rd.snapshot());
        }
        storage.append(rd.entries());
        if (rd.hardState() != null) {
            storage.setHardState(rd.hardState());
        }
    }

    void sync() {
        synced = storage.hardState();
    }

    /** Forgets the vote, as a disk that silently dropped that write would (for the defect tests). */
    void loseVote() {
        synced = new HardState(synced.term(), 0, synced.commit());
        storage.setHardState(synced);
    }

    /** A crash: the unsynced hard state survives only if {@code flushedAnyway}. */
    void crash(boolean flushedAnyway) {
        if (flushedAnyway) {
            sync();
        }
        storage.setHardState(synced);
    }
}
