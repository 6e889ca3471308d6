package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.transport.proto.RaftMessage;
import io.flotilla.transport.proto.SnapshotHeader;
import io.flotilla.transport.raft.EnvelopeDecodeException.Reason;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeCodecTest {
    /** Override with -Dflotilla.codec.seed=N to replay one failing seed. */
    private static final String SEED_PROPERTY = "flotilla.codec.seed";
    private static final int SEEDS = 500;
    private static final int ENVELOPES_PER_SEED = 10;

    private static List<Long> seeds() {
        String one = System.getProperty(SEED_PROPERTY);
        if (one != null) {
            return List.of(Long.parseLong(one));
        }
        return java.util.stream.LongStream.rangeClosed(1, SEEDS).boxed().toList();
    }

    private static Envelope throughTheWire(Envelope env) throws Exception {
        byte[] bytes = EnvelopeCodec.encode(env).toByteArray();
        return EnvelopeCodec.decode(io.flotilla.transport.proto.Envelope.parseFrom(bytes));
    }

    @Test
    void everyEnvelopeSurvivesTheWireFieldForField() throws Exception {
        for (long seed : seeds()) {
            MessageGenerator gen = new MessageGenerator(seed);
            for (int i = 0; i < ENVELOPES_PER_SEED; i++) {
                Envelope env = gen.envelope();
                String where = "seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ") envelope " + i;
                MessageGenerator.assertSameEnvelope(throughTheWire(env), env, where);
            }
        }
    }

    @Test
    void everyNetworkMessageTypeSurvivesTheWireWithEveryField() throws Exception {
        Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
        for (long seed : seeds()) {
            MessageGenerator gen = new MessageGenerator(seed);
            for (MessageType type : MessageGenerator.networkTypes()) {
                Message m = gen.message(type);
                byte[] snapshotData = m.snapshot() == null ? null : m.snapshot().data();
                RaftMessage wire = RaftMessage.parseFrom(EnvelopeCodec.encodeMessage(m).toByteArray());
                MessageGenerator.assertSameMessage(EnvelopeCodec.decodeMessage(wire, snapshotData), m,
                        "seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ") " + type);
                covered.add(type);
            }
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(MessageGenerator.networkTypes());
    }

    @Test
    void theTypeTravelsByNameSoARenumberedEnumCannotChangeIt() {
        Message vote = Message.builder(MessageType.VOTE).to(2).from(1).term(3).build();
        assertThat(EnvelopeCodec.encodeMessage(vote).getType()).isEqualTo("VOTE");
    }

    @Test
    void anUnknownTypeNameIsATypedDecodeError() {
        io.flotilla.transport.proto.Envelope wire = io.flotilla.transport.proto.Envelope.newBuilder().setFromNode(1)
                .setToNode(2).addMessages(io.flotilla.transport.proto.GroupMessage.newBuilder().setGroupId(7)
                        .setMessage(RaftMessage.newBuilder().setType("MSG_FROM_THE_FUTURE").setTerm(4)))
                .build();
        assertThatThrownBy(() -> EnvelopeCodec.decode(wire)).isInstanceOf(EnvelopeDecodeException.class)
                .satisfies(e -> assertThat(((EnvelopeDecodeException) e).reason()).isEqualTo(
                        Reason.UNKNOWN_MESSAGE_TYPE))
                .hasMessageContaining("MSG_FROM_THE_FUTURE");
    }

    @Test
    void aLocalMessageKindFromTheNetworkIsRefused() {
        // RawNode.step throws on local kinds: decoded, one would kill an engine worker.
        for (MessageType local : MessageType.values()) {
            if (!local.isLocal()) {
                continue;
            }
            RaftMessage wire = EnvelopeCodec.encodeMessage(Message.builder(local).from(1).build());
            assertThatThrownBy(() -> EnvelopeCodec.decodeMessage(wire, null))
                    .isInstanceOf(EnvelopeDecodeException.class)
                    .satisfies(e -> assertThat(((EnvelopeDecodeException) e).reason())
                            .isEqualTo(Reason.LOCAL_MESSAGE_TYPE));
        }
    }

    @Test
    void anUnknownEntryTypeIsATypedDecodeError() {
        RaftMessage wire = RaftMessage.newBuilder().setType("APPEND")
                .addEntries(io.flotilla.transport.proto.Entry.newBuilder().setIndex(5).setTypeValue(9)).build();
        assertThatThrownBy(() -> EnvelopeCodec.decodeMessage(wire, null))
                .isInstanceOf(EnvelopeDecodeException.class)
                .satisfies(e -> assertThat(((EnvelopeDecodeException) e).reason())
                        .isEqualTo(Reason.UNKNOWN_ENTRY_TYPE));
    }

    @Test
    void snapshotDataNeverRidesInAnEnvelope() {
        MessageGenerator gen = new MessageGenerator(1);
        Envelope withSnapshot = new Envelope(1, 2, List.of(new GroupMessage(9, gen.message(MessageType.SNAPSHOT))),
                List.of(), List.of());
        assertThatThrownBy(() -> EnvelopeCodec.encode(withSnapshot)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Snapshot call");

        // From the stream, a SNAPSHOT would arrive without its data: an empty state machine.
        io.flotilla.transport.proto.Envelope wire = io.flotilla.transport.proto.Envelope.newBuilder().setFromNode(1)
                .setToNode(2).addMessages(io.flotilla.transport.proto.GroupMessage.newBuilder().setGroupId(9)
                        .setMessage(EnvelopeCodec.encodeMessage(gen.message(MessageType.SNAPSHOT))))
                .build();
        assertThatThrownBy(() -> EnvelopeCodec.decode(wire)).isInstanceOf(EnvelopeDecodeException.class)
                .satisfies(e -> assertThat(((EnvelopeDecodeException) e).reason())
                        .isEqualTo(Reason.SNAPSHOT_OFF_SNAPSHOT_CALL));
    }

    @Test
    void aSnapshotHeaderCarriesMetadataAndSizeButNotTheData() throws Exception {
        MessageGenerator gen = new MessageGenerator(3);
        Message snap = Message.builder(MessageType.SNAPSHOT).from(1).to(2).term(5)
                .snapshot(new io.flotilla.raft.message.Snapshot(gen.metadata(), new byte[10_000])).build();
        SnapshotHeader h = EnvelopeCodec.snapshotHeader(1, 2, new GroupMessage(44, snap));
        assertThat(h.getTotalBytes()).isEqualTo(10_000);
        assertThat(h.getGroupId()).isEqualTo(44);
        assertThat(h.toByteArray().length).as("header bytes").isLessThan(1_000);
        assertThat(EnvelopeCodec.decodeMessage(SnapshotHeader.parseFrom(h.toByteArray()).getMessage(), null)
                .snapshot().metadata()).isEqualTo(snap.snapshot().metadata());
        assertThatThrownBy(() -> EnvelopeCodec.snapshotHeader(1, 2,
                new GroupMessage(44, Message.builder(MessageType.APPEND).build())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGroupMessageWithoutItsMessageIsATypedDecodeError() {
        io.flotilla.transport.proto.Envelope wire = io.flotilla.transport.proto.Envelope.newBuilder().setFromNode(1)
                .setToNode(2).addMessages(io.flotilla.transport.proto.GroupMessage.newBuilder().setGroupId(7)).build();
        assertThatThrownBy(() -> EnvelopeCodec.decode(wire)).isInstanceOf(EnvelopeDecodeException.class)
                .satisfies(e -> assertThat(((EnvelopeDecodeException) e).reason()).isEqualTo(Reason.MISSING_MESSAGE));
    }

    @Test
    void aSnapshotMessageWithoutMetadataIsRefused() {
        RaftMessage wire = RaftMessage.newBuilder().setType("SNAPSHOT").setFrom(1).build();
        assertThatThrownBy(() -> EnvelopeCodec.decodeMessage(wire, new byte[3]))
                .isInstanceOf(EnvelopeDecodeException.class)
                .satisfies(e -> assertThat(((EnvelopeDecodeException) e).reason())
                        .isEqualTo(Reason.MISSING_SNAPSHOT_METADATA));
    }
}
