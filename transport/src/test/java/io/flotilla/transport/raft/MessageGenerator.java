package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.engine.HeartbeatItem;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.EntryType;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded random engine values with every field set to something, and a field-by-field comparison. */
final class MessageGenerator {
    private final SplittableRandom random;

    MessageGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Message kinds that may travel between nodes. */
    static List<MessageType> networkTypes() {
        return Arrays.stream(MessageType.values()).filter(t -> !t.isLocal()).toList();
    }

    /** Anything from 0 to the full unsigned 64-bit range (ids and terms are uint64 on the wire). */
    long anyLong() {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextLong(1, 1000);
            case 2 -> random.nextLong();
            default -> random.nextLong(0, Long.MAX_VALUE);
        };
    }

    byte[] bytes(int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }

    Entry entry() {
        EntryType type = random.nextBoolean() ? EntryType.NORMAL : EntryType.CONF_CHANGE;
        return new Entry(anyLong(), anyLong(), type, bytes(24));
    }

    List<Long> ids() {
        List<Long> out = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            out.add(random.nextLong(1, 100));
        }
        return out;
    }

    SnapshotMetadata metadata() {
        return new SnapshotMetadata(new ConfState(ids(), ids(), ids(), ids(), random.nextBoolean()), anyLong(),
                anyLong());
    }

    /** A message of {@code type}; a SNAPSHOT carries a snapshot with data, the others none. */
    Message message(MessageType type) {
        List<Entry> entries = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            entries.add(entry());
        }
        Snapshot snapshot = type == MessageType.SNAPSHOT ? new Snapshot(metadata(), bytes(64)) : null;
        return new Message(type, anyLong(), anyLong(), anyLong(), anyLong(), anyLong(), entries, anyLong(), snapshot,
                random.nextBoolean(), anyLong(), bytes(16), anyLong());
    }

    HeartbeatItem heartbeat() {
        return new HeartbeatItem(anyLong(), anyLong(), anyLong(), anyLong(), anyLong(), random.nextBoolean());
    }

    /** An envelope of any network message kinds except SNAPSHOT (which never rides in one). */
    Envelope envelope() {
        List<MessageType> types = networkTypes().stream().filter(t -> t != MessageType.SNAPSHOT).toList();
        List<GroupMessage> messages = new ArrayList<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            messages.add(new GroupMessage(anyLong(), message(types.get(random.nextInt(types.size())))));
        }
        List<HeartbeatItem> hbs = new ArrayList<>();
        List<HeartbeatItem> responses = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            hbs.add(heartbeat());
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            responses.add(heartbeat());
        }
        return new Envelope(anyLong(), anyLong(), messages, hbs, responses);
    }

    // ---------------------------------------------------------------- comparison

    /** Field by field: the records hold arrays, whose equals is identity. */
    static void assertSameMessage(Message actual, Message expected, String where) {
        assertThat(actual.type()).as(where + " type").isEqualTo(expected.type());
        assertThat(actual.to()).as(where + " to").isEqualTo(expected.to());
        assertThat(actual.from()).as(where + " from").isEqualTo(expected.from());
        assertThat(actual.term()).as(where + " term").isEqualTo(expected.term());
        assertThat(actual.logTerm()).as(where + " logTerm").isEqualTo(expected.logTerm());
        assertThat(actual.index()).as(where + " index").isEqualTo(expected.index());
        assertThat(actual.entries()).as(where + " entries").isEqualTo(expected.entries()); // Entry compares data
        assertThat(actual.commit()).as(where + " commit").isEqualTo(expected.commit());
        assertThat(actual.reject()).as(where + " reject").isEqualTo(expected.reject());
        assertThat(actual.rejectHint()).as(where + " rejectHint").isEqualTo(expected.rejectHint());
        assertThat(actual.context()).as(where + " context").isEqualTo(expected.context());
        assertThat(actual.priority()).as(where + " priority").isEqualTo(expected.priority());
        if (expected.snapshot() == null) {
            assertThat(actual.snapshot()).as(where + " snapshot").isNull();
        } else {
            assertThat(actual.snapshot()).as(where + " snapshot").isNotNull();
            assertThat(actual.snapshot().metadata()).as(where + " snapshot metadata")
                    .isEqualTo(expected.snapshot().metadata());
            assertThat(actual.snapshot().data()).as(where + " snapshot data").isEqualTo(expected.snapshot().data());
        }
    }

    static void assertSameEnvelope(Envelope actual, Envelope expected, String where) {
        assertThat(actual.fromNode()).as(where + " fromNode").isEqualTo(expected.fromNode());
        assertThat(actual.toNode()).as(where + " toNode").isEqualTo(expected.toNode());
        assertThat(actual.heartbeats()).as(where + " heartbeats").isEqualTo(expected.heartbeats());
        assertThat(actual.heartbeatResponses()).as(where + " heartbeatResponses")
                .isEqualTo(expected.heartbeatResponses());
        assertThat(actual.messages()).as(where + " message count").hasSameSizeAs(expected.messages());
        for (int i = 0; i < expected.messages().size(); i++) {
            assertThat(actual.messages().get(i).groupId()).as(where + " group of message " + i)
                    .isEqualTo(expected.messages().get(i).groupId());
            assertSameMessage(actual.messages().get(i).message(), expected.messages().get(i).message(),
                    where + " message " + i);
        }
    }
}
