package io.flotilla.engine;

import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order in which a follower takes a leader's snapshot (Raft §7): into the state machine
 * first, then into the log. A crash between the two then leaves a state machine ahead of its
 * log, which its host can finish at load; the other way round the log would start after a
 * snapshot the state machine never got, and nothing would be left to rebuild it from.
 */
class SnapshotInstallOrderTest {
    private final List<String> events = new ArrayList<>();

    /** The in-memory store, telling when a batch that records a snapshot is written. */
    private LogStore recording(InMemoryLogStore store) {
        return new LogStore() {
            @Override
            public LogStorage storage(long groupId) {
                return store.storage(groupId);
            }

            @Override
            public void remove(long groupId) {
                store.remove(groupId);
            }

            @Override
            public WriteBatch newBatch() {
                WriteBatch inner = store.newBatch();
                return new WriteBatch() {
                    private Snapshot snapshot;

                    @Override
                    public void append(long groupId, List<Entry> entries) {
                        inner.append(groupId, entries);
                    }

                    @Override
                    public void setHardState(long groupId, HardState hardState) {
                        inner.setHardState(groupId, hardState);
                    }

                    @Override
                    public void applySnapshot(long groupId, Snapshot s) {
                        snapshot = s;
                        inner.applySnapshot(groupId, s);
                    }

                    @Override
                    public boolean isEmpty() {
                        return inner.isEmpty();
                    }

                    @Override
                    public void commit(boolean sync) {
                        inner.commit(sync);
                        if (snapshot != null) {
                            events.add("log recorded snapshot " + snapshot.index());
                        }
                    }
                };
            }
        };
    }

    @Test
    @DisplayName("a follower installs a snapshot in its state machine before its log records it")
    void stateMachineFirstThenLog() {
        NodeEngine engine = new NodeEngine(EngineConfig.defaults(2), recording(new InMemoryLogStore()), env -> { });
        engine.createGroup(1, 2, Map.of(1L, 1L, 2L, 2L, 3L, 3L), new GroupStateMachine() {
            @Override
            public void apply(Entry entry) {
            }

            @Override
            public void restore(Snapshot snapshot) {
                events.add("state machine restored snapshot " + snapshot.index());
            }
        });
        Snapshot snap = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1, 2, 3), 10, 2), new byte[0]);
        Message m = Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(2).snapshot(snap).build();
        engine.receive(new Envelope(1, 2, List.of(new GroupMessage(1, m)), List.of(), List.of()));
        engine.runUntilIdle();

        assertThat(events).containsExactly("state machine restored snapshot 10", "log recorded snapshot 10");
        assertThat(engine.info(1).applied()).isEqualTo(10);
    }
}
