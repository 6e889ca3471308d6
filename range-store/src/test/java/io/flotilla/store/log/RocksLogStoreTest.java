package io.flotilla.store.log;

import io.flotilla.engine.LogStore;
import io.flotilla.raft.log.LogStorageException;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import io.flotilla.store.rocks.StorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RocksLogStoreTest {
    @TempDir
    Path dir;

    private static List<Entry> entries(long term, long from, long to) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(Entry.normal(term, i, ("e" + i + "t" + term).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static void write(RocksLogStore store, long group, List<Entry> ents, HardState hs) {
        LogStore.WriteBatch b = store.newBatch();
        b.append(group, ents);
        if (hs != null) {
            b.setHardState(group, hs);
        }
        b.commit(true);
    }

    @Test
    void entriesAndHardStateSurviveAReopen() {
        try (StorageEngine engine = StorageEngine.open(dir)) {
            RocksLogStore store = new RocksLogStore(engine, 1 << 20);
            store.bootstrap(7, ConfState.ofVoters(1, 2, 3));
            write(store, 7, entries(1, 1, 10), new HardState(1, 2, 5));
        }
        try (StorageEngine engine = StorageEngine.open(dir)) {
            RocksLogStore store = new RocksLogStore(engine, 1 << 20);
            RocksGroupLog log = store.storage(7);
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(10);
            assertThat(log.initialHardState()).isEqualTo(new HardState(1, 2, 5));
            assertThat(log.initialConfState()).isEqualTo(ConfState.ofVoters(1, 2, 3));
            assertThat(log.entries(3, 6, Long.MAX_VALUE)).isEqualTo(entries(1, 3, 5));
            assertThat(log.term(10)).isEqualTo(1);
        }
    }

    @Test
    void groupsDoNotSeeEachOthersEntries() {
        try (StorageEngine engine = StorageEngine.open(dir)) {
            RocksLogStore store = new RocksLogStore(engine, 1 << 20);
            LogStore.WriteBatch b = store.newBatch();
            b.append(1, entries(1, 1, 3));
            b.append(2, entries(2, 1, 5));
            b.commit(true);
            assertThat(store.syncs()).as("one sync for both groups").isEqualTo(1);
            RocksLogStore reopened = new RocksLogStore(engine, 1);
            assertThat(reopened.storage(1).lastIndex()).isEqualTo(3);
            assertThat(reopened.storage(2).lastIndex()).isEqualTo(5);
            assertThat(reopened.storage(2).entries(1, 6, Long.MAX_VALUE)).isEqualTo(entries(2, 1, 5));
        }
    }

    @Test
    void anOverwrittenTailIsGoneFromDiskAndCache() {
        try (StorageEngine engine = StorageEngine.open(dir)) {
            RocksLogStore store = new RocksLogStore(engine, 1 << 20);
            write(store, 1, entries(1, 1, 10), null);
            // A new leader of term 2 replaces everything from index 6 on with two entries.
            write(store, 1, entries(2, 6, 7), null);
            assertThat(store.storage(1).lastIndex()).isEqualTo(7);
            assertThat(store.storage(1).term(7)).isEqualTo(2);
            assertThat(new RocksLogStore(engine, 1).storage(1).lastIndex()).as("after reload").isEqualTo(7);
            assertThat(store.storage(1).entries(5, 8, Long.MAX_VALUE)).containsExactly(entries(1, 5, 5).get(0),
                    entries(2, 6, 6).get(0), entries(2, 7, 7).get(0));
        }
    }

    @Test
    void truncationDropsTheHeadWithARangeDeleteAndKeepsTheTermOfTheLastDroppedEntry() {
        try (StorageEngine engine = StorageEngine.open(dir)) {
            RocksLogStore store = new RocksLogStore(engine, 1 << 20);
            write(store, 1, entries(3, 1, 100), null);
            store.truncate(1, 60);
            RocksGroupLog log = new RocksLogStore(engine, 1).storage(1);
            assertThat(log.firstIndex()).isEqualTo(61);
            assertThat(log.term(60)).isEqualTo(3);
            assertThatThrownBy(() -> log.entries(10, 20, Long.MAX_VALUE))
                    .isInstanceOf(LogStorageException.Compacted.class);
            assertThat(log.entries(61, 101, Long.MAX_VALUE)).hasSize(40);
        }
    }

    @Test
    void aSnapshotReplacesTheLogAndTheConfiguration() {
        try (StorageEngine engine = StorageEngine.open(dir)) {
            RocksLogStore store = new RocksLogStore(engine, 1 << 20);
            write(store, 1, entries(1, 1, 5), null);
            LogStore.WriteBatch b = store.newBatch();
            b.applySnapshot(1, new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1, 4), 50, 4), null));
            b.commit(true);
            RocksGroupLog log = new RocksLogStore(engine, 1).storage(1);
            assertThat(log.firstIndex()).isEqualTo(51);
            assertThat(log.lastIndex()).isEqualTo(50);
            assertThat(log.term(50)).isEqualTo(4);
            assertThat(log.initialConfState()).isEqualTo(ConfState.ofVoters(1, 4));
        }
    }

    @Test
    void readsHonourTheByteLimitButReturnAtLeastOneEntry() {
        try (StorageEngine engine = StorageEngine.open(dir)) {
            RocksLogStore store = new RocksLogStore(engine, 1 << 20);
            write(store, 1, entries(1, 1, 20), null);
            RocksLogStore cold = new RocksLogStore(engine, 1);
            long one = entries(1, 1, 1).get(0).sizeBytes();
            assertThat(cold.storage(1).entries(1, 21, 1)).hasSize(1);
            assertThat(cold.storage(1).entries(1, 21, one * 3)).hasSize(3);
            assertThat(store.storage(1).entries(1, 21, one * 3)).as("from cache").hasSize(3);
        }
    }
}
