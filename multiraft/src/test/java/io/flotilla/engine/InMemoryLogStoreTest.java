package io.flotilla.engine;

import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Honest durability in memory: a crash keeps exactly what a sync made durable. */
class InMemoryLogStoreTest {
    private static void write(InMemoryLogStore s, long g, HardState hs, List<Entry> ents, boolean sync) {
        LogStore.WriteBatch b = s.newBatch();
        b.append(g, ents);
        b.setHardState(g, hs);
        b.commit(sync);
    }

    private static MemoryLogStorage live(InMemoryLogStore s, long g) {
        return (MemoryLogStorage) s.storage(g);
    }

    @Test
    @DisplayName("a crash loses an unsynced commit index but keeps the synced log and hard state")
    void crashLosesOnlyUnsyncedCommit() {
        InMemoryLogStore s = new InMemoryLogStore();
        s.bootstrap(1, 1, 2, 3);
        write(s, 1, new HardState(2, 1, 0), List.of(Entry.normal(2, 1, new byte[] {1})), true);
        write(s, 1, new HardState(2, 1, 1), List.of(), false);
        assertThat(live(s, 1).hardState().commit()).isEqualTo(1);
        s.crash();
        assertThat(live(s, 1).hardState()).isEqualTo(new HardState(2, 1, 0));
        assertThat(live(s, 1).lastIndex()).isEqualTo(1);
    }

    @Test
    @DisplayName("a crash loses unsynced entries and term changes entirely; a later sync makes earlier unsynced writes durable too")
    void unsyncedEntriesAreLostUntilASync() {
        InMemoryLogStore s = new InMemoryLogStore();
        s.bootstrap(1, 1, 2, 3);
        s.bootstrap(2, 1, 2, 3);
        write(s, 1, new HardState(3, 3, 0), List.of(Entry.normal(3, 1, new byte[] {1})), false);
        s.crash();
        assertThat(live(s, 1).lastIndex()).isZero();
        assertThat(live(s, 1).hardState()).isEqualTo(HardState.EMPTY);

        write(s, 1, new HardState(3, 3, 0), List.of(Entry.normal(3, 1, new byte[] {1})), false);
        write(s, 2, new HardState(1, 1, 0), List.of(), true); // another group's sync
        s.crash();
        assertThat(live(s, 1).lastIndex()).as("made durable by the later sync").isEqualTo(1);
        assertThat(live(s, 1).hardState().term()).isEqualTo(3);
    }

    @Test
    @DisplayName("the replica that crashed keeps its own storage object: the restarted one gets a fresh copy")
    void crashGivesFreshStorage() {
        InMemoryLogStore s = new InMemoryLogStore();
        s.bootstrap(1, 1, 2, 3);
        MemoryLogStorage before = live(s, 1);
        s.crash();
        assertThat(live(s, 1)).isNotSameAs(before);
    }

    @Test
    @DisplayName("thousands of groups added and removed in any order keep every remaining one's storage")
    void manyGroupsAddedAndRemoved() {
        InMemoryLogStore s = new InMemoryLogStore();
        int n = 5_000;
        for (long g = 1; g <= n; g++) {
            s.bootstrap(g * 7919, 1, 2, 3);
            write(s, g * 7919, new HardState(g, 1, 0), List.of(), true);
        }
        for (long g = 1; g <= n; g += 3) {
            s.remove(g * 7919);
        }
        for (long g = 1; g <= n; g++) {
            MemoryLogStorage st = live(s, g * 7919);
            if ((g - 1) % 3 == 0) {
                assertThat(st.hardState()).as("removed group %d comes back empty", g).isEqualTo(HardState.EMPTY);
            } else {
                assertThat(st.hardState().term()).as("group %d", g).isEqualTo(g);
            }
        }
    }
}
