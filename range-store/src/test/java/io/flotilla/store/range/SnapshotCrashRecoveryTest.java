package io.flotilla.store.range;

import io.flotilla.engine.LogStore;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.store.log.RaftCodec;
import io.flotilla.store.log.RocksGroupLog;
import io.flotilla.store.log.RocksLogStore;
import io.flotilla.store.rocks.Keys;
import io.flotilla.store.rocks.StorageEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash anywhere inside a snapshot install leaves a replica that loads whole: either as it
 * was before the snapshot, or with the snapshot's data and a log cut at its index. Never a
 * cleared span under the old applied index (replaying the log from there loses the keys written
 * before it), nor a log that starts after the snapshot over a state machine without it.
 */
class SnapshotCrashRecoveryTest {
    private static final long RANGE = 9;
    private static final long SNAP_INDEX = 40;
    private static final long SNAP_TERM = 7;
    private static final RangeDescriptor WHOLE = new RangeDescriptor(RANGE, new byte[0], new byte[0],
            List.of(new ReplicaDescriptor(1, 1, false), new ReplicaDescriptor(2, 2, false),
                    new ReplicaDescriptor(3, 3, false)), 1, 1);

    @TempDir
    Path leaderDir;
    @TempDir
    Path followerDir;
    private Snapshot snapshot;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The leader's snapshot: keys k0..k9 at (SNAP_INDEX, SNAP_TERM). */
    @BeforeEach
    void leaderSnapshot() throws Exception {
        try (StorageEngine engine = StorageEngine.open(leaderDir)) {
            RocksLogStore log = new RocksLogStore(engine, 1 << 20);
            RangeStateMachine sm = RangeStateMachine.bootstrap(engine, log, WHOLE);
            // The state a leader reaches by applying: written directly, as its apply batches would.
            try (WriteBatch wb = new WriteBatch()) {
                for (int i = 0; i < 10; i++) {
                    wb.put(engine.data(), b("k" + i), b("snap-" + i));
                }
                wb.put(engine.raftState(), Keys.stateKey(RANGE, Keys.APPLIED),
                        RaftCodec.encodeIndexTerm(SNAP_INDEX, SNAP_TERM));
                engine.db().write(engine.syncWrite(), wb);
            }
            snapshot = sm.createSnapshot();
        }
        assertThat(snapshot.index()).isEqualTo(SNAP_INDEX);
    }

    /**
     * A follower behind the snapshot: bootstrapped, it applied through index 8 with keys old0..
     * old2 (index 6..8, term 5), and holds entries 9..12 of term 5 that the new leader's log
     * does not have; commit 8.
     */
    private void followerBehind() throws Exception {
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            RocksLogStore log = new RocksLogStore(engine, 1 << 20);
            RangeStateMachine.bootstrap(engine, log, WHOLE);
            List<Entry> stale = new ArrayList<>();
            for (long i = 6; i <= 12; i++) {
                stale.add(Entry.normal(5, i, b("e" + i)));
            }
            LogStore.WriteBatch batch = log.newBatch();
            batch.append(RANGE, stale);
            batch.setHardState(RANGE, new HardState(5, 1, 8));
            batch.commit(true);
            try (WriteBatch wb = new WriteBatch()) {
                for (int i = 0; i < 3; i++) {
                    wb.put(engine.data(), b("old" + i), b("v"));
                }
                wb.put(engine.raftState(), Keys.stateKey(RANGE, Keys.APPLIED), RaftCodec.encodeIndexTerm(8, 5));
                engine.db().write(engine.syncWrite(), wb);
            }
        }
    }

    @Test
    @DisplayName("a crash after the state machine took the snapshot and before the log recorded it: the log is cut at the snapshot at load")
    void stateMachineAheadOfItsLogIsFinishedAtLoad() throws Exception {
        followerBehind();
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            RocksLogStore log = new RocksLogStore(engine, 1 << 20);
            RangeStateMachine.load(engine, log, RANGE).restore(snapshot);
            // crash: the engine's log batch with the snapshot never commits
        }
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            RocksLogStore log = new RocksLogStore(engine, 1 << 20);
            RangeStateMachine sm = RangeStateMachine.load(engine, log, RANGE);
            assertThat(sm.appliedIndex()).isEqualTo(SNAP_INDEX);
            assertThat(sm.get(b("k3"))).isEqualTo(b("snap-3"));
            assertThat(sm.get(b("old1"))).as("the span holds the snapshot's keys only").isNull();
            RocksGroupLog raftLog = log.storage(RANGE);
            assertThat(raftLog.firstIndex()).isEqualTo(SNAP_INDEX + 1);
            assertThat(raftLog.lastIndex()).as("the stale entries 9..12 are gone with the cut").isEqualTo(SNAP_INDEX);
            assertThat(raftLog.term(SNAP_INDEX)).isEqualTo(SNAP_TERM);
            HardState hs = raftLog.initialHardState();
            assertThat(hs.commit()).isEqualTo(SNAP_INDEX);
            assertThat(hs.term()).as("a term behind the snapshot's is raised, with no vote").isEqualTo(SNAP_TERM);
            assertThat(hs.vote()).isZero();
        }
    }

    @Test
    @DisplayName("a crash in the middle of the install (span cleared, applied index not yet moved) is repaired at load from the saved copy")
    void interruptedInstallIsDoneAgainAtLoad() throws Exception {
        followerBehind();
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            // What install() does first, then the first of its steps; the crash comes before the rest.
            PendingSnapshot.save(RangeStateMachine.pendingDir(engine), RANGE, snapshot);
            try (WriteBatch wb = new WriteBatch()) {
                wb.deleteRange(engine.data(), new byte[0], new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
                engine.db().write(engine.syncWrite(), wb);
            }
        }
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            RocksLogStore log = new RocksLogStore(engine, 1 << 20);
            RangeStateMachine sm = RangeStateMachine.load(engine, log, RANGE);
            assertThat(sm.appliedIndex()).isEqualTo(SNAP_INDEX);
            for (int i = 0; i < 10; i++) {
                assertThat(sm.get(b("k" + i))).isEqualTo(b("snap-" + i));
            }
            assertThat(log.storage(RANGE).firstIndex()).isEqualTo(SNAP_INDEX + 1);
            assertThat(log.storage(RANGE).initialHardState().commit()).isEqualTo(SNAP_INDEX);
            assertThat(Files.exists(PendingSnapshot.path(RangeStateMachine.pendingDir(engine), RANGE)))
                    .as("the copy is gone once installed").isFalse();
        }
    }

    @Test
    @DisplayName("a copy torn by a crash while it was written was never acted on: it is dropped and the replica loads as it was")
    void tornCopyIsIgnored() throws Exception {
        followerBehind();
        Path copy;
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            PendingSnapshot.save(RangeStateMachine.pendingDir(engine), RANGE, snapshot);
            copy = PendingSnapshot.path(RangeStateMachine.pendingDir(engine), RANGE);
        }
        byte[] whole = Files.readAllBytes(copy);
        Files.write(copy, java.util.Arrays.copyOf(whole, whole.length / 2));
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            RocksLogStore log = new RocksLogStore(engine, 1 << 20);
            RangeStateMachine sm = RangeStateMachine.load(engine, log, RANGE);
            assertThat(sm.appliedIndex()).isEqualTo(8);
            assertThat(sm.get(b("old1"))).isEqualTo(b("v"));
            assertThat(sm.get(b("k1"))).isNull();
            assertThat(log.storage(RANGE).lastIndex()).as("the log is untouched").isEqualTo(12);
            assertThat(Files.exists(copy)).isFalse();
        }
    }

    @Test
    @DisplayName("a replica whose log and state machine agree loads unchanged")
    void consistentReplicaLoadsUnchanged() throws Exception {
        followerBehind();
        try (StorageEngine engine = StorageEngine.open(followerDir)) {
            RocksLogStore log = new RocksLogStore(engine, 1 << 20);
            RangeStateMachine sm = RangeStateMachine.load(engine, log, RANGE);
            assertThat(sm.appliedIndex()).isEqualTo(8);
            assertThat(log.storage(RANGE).lastIndex()).isEqualTo(12);
            assertThat(log.storage(RANGE).initialHardState()).isEqualTo(new HardState(5, 1, 8));
        }
    }
}
