package io.flotilla.transport.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
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
import io.flotilla.transport.proto.RaftMessage;
import io.flotilla.transport.raft.EnvelopeDecodeException.Reason;

import java.util.ArrayList;
import java.util.List;

/**
 * Engine envelopes to wire envelopes and back. Message types travel by name, so a renumbered
 * enum on one side cannot turn a vote into an append on the other.
 *
 * <p>Snapshot data never travels in an envelope: a SNAPSHOT message goes on the Snapshot call
 * (header with metadata, then data chunks). Encoding an envelope that holds one is a programming
 * error; decoding one from the stream is a decode error, because a SNAPSHOT without its data
 * would install an empty state machine.</p>
 *
 * <p>Byte arrays are wrapped, not copied, on the way out: entries and snapshots own their data
 * and never change it. On the way in they are copied out of the wire buffers.</p>
 */
public final class EnvelopeCodec {
    private static final byte[] NO_BYTES = new byte[0];

    private EnvelopeCodec() {
    }

    // ---------------------------------------------------------------- encode

    /**
     * The wire form of an envelope without SNAPSHOT messages.
     *
     * @throws IllegalArgumentException if it holds a SNAPSHOT message (send those with
     *                                  {@link #snapshotHeader})
     */
    public static io.flotilla.transport.proto.Envelope encode(Envelope env) {
        io.flotilla.transport.proto.Envelope.Builder b = io.flotilla.transport.proto.Envelope.newBuilder()
                .setFromNode(env.fromNode()).setToNode(env.toNode());
        for (GroupMessage gm : env.messages()) {
            b.addMessages(encodeGroupMessage(gm));
        }
        for (HeartbeatItem hb : env.heartbeats()) {
            b.addHeartbeats(encodeHeartbeat(hb));
        }
        for (HeartbeatItem hb : env.heartbeatResponses()) {
            b.addHeartbeatResponses(encodeHeartbeat(hb));
        }
        return b.build();
    }

    /** @throws IllegalArgumentException for a SNAPSHOT message */
    public static io.flotilla.transport.proto.GroupMessage encodeGroupMessage(GroupMessage gm) {
        if (gm.message().type() == MessageType.SNAPSHOT) {
            throw new IllegalArgumentException("SNAPSHOT messages travel on the Snapshot call, not in envelopes: "
                    + gm.message());
        }
        return io.flotilla.transport.proto.GroupMessage.newBuilder().setGroupId(gm.groupId())
                .setMessage(encodeMessage(gm.message())).build();
    }

    public static io.flotilla.transport.proto.HeartbeatItem encodeHeartbeat(HeartbeatItem hb) {
        return io.flotilla.transport.proto.HeartbeatItem.newBuilder().setGroupId(hb.groupId()).setFrom(hb.from())
                .setTo(hb.to()).setTerm(hb.term()).setCommit(hb.commit()).setQuiesce(hb.quiesce()).build();
    }

    /**
     * Every field of a message; of a snapshot only its metadata (the data goes in chunks).
     *
     * @throws IllegalArgumentException for snapshot metadata on a message kind other than SNAPSHOT,
     *                                  or a SNAPSHOT without a snapshot
     */
    public static RaftMessage encodeMessage(Message m) {
        RaftMessage.Builder b = RaftMessage.newBuilder().setType(m.type().name()).setTo(m.to()).setFrom(m.from())
                .setTerm(m.term()).setLogTerm(m.logTerm()).setIndex(m.index()).setCommit(m.commit())
                .setReject(m.reject()).setRejectHint(m.rejectHint()).setPriority(m.priority());
        if (m.context().length > 0) {
            b.setContext(wrap(m.context()));
        }
        for (Entry e : m.entries()) {
            b.addEntries(encodeEntry(e));
        }
        boolean isSnapshot = m.type() == MessageType.SNAPSHOT;
        if (isSnapshot != (m.snapshot() != null)) {
            throw new IllegalArgumentException(isSnapshot ? "SNAPSHOT message without a snapshot: " + m
                    : "snapshot on a " + m.type() + " message: " + m);
        }
        if (isSnapshot) {
            b.setSnapshot(encodeMetadata(m.snapshot().metadata()));
        }
        return b.build();
    }

    static io.flotilla.transport.proto.Entry encodeEntry(Entry e) {
        return io.flotilla.transport.proto.Entry.newBuilder().setTerm(e.term()).setIndex(e.index())
                .setType(e.type() == EntryType.CONF_CHANGE ? io.flotilla.transport.proto.EntryType.ENTRY_CONF_CHANGE
                        : io.flotilla.transport.proto.EntryType.ENTRY_NORMAL)
                .setData(wrap(e.data())).build();
    }

    static io.flotilla.transport.proto.SnapshotMetadata encodeMetadata(SnapshotMetadata md) {
        ConfState cs = md.confState();
        return io.flotilla.transport.proto.SnapshotMetadata.newBuilder().setIndex(md.index()).setTerm(md.term())
                .setConfState(io.flotilla.transport.proto.ConfState.newBuilder().addAllVoters(cs.voters())
                        .addAllLearners(cs.learners()).addAllVotersOutgoing(cs.votersOutgoing())
                        .addAllLearnersNext(cs.learnersNext()).setAutoLeave(cs.autoLeave()))
                .build();
    }

    /** The header of a Snapshot call for one SNAPSHOT message; its data follows in chunks. */
    public static io.flotilla.transport.proto.SnapshotHeader snapshotHeader(long fromNode, long toNode,
                                                                           GroupMessage gm) {
        Message m = gm.message();
        if (m.type() != MessageType.SNAPSHOT) {
            throw new IllegalArgumentException("not a SNAPSHOT message: " + m);
        }
        return io.flotilla.transport.proto.SnapshotHeader.newBuilder().setFromNode(fromNode).setToNode(toNode)
                .setGroupId(gm.groupId()).setMessage(encodeMessage(m)).setTotalBytes(m.snapshot().data().length)
                .build();
    }

    private static ByteString wrap(byte[] bytes) {
        return bytes.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(bytes);
    }

    // ---------------------------------------------------------------- decode

    /** An envelope from the stream. SNAPSHOT messages are refused here (see the class comment). */
    public static Envelope decode(io.flotilla.transport.proto.Envelope env) throws EnvelopeDecodeException {
        List<GroupMessage> messages = new ArrayList<>(env.getMessagesCount());
        for (io.flotilla.transport.proto.GroupMessage gm : env.getMessagesList()) {
            if (!gm.hasMessage()) {
                throw new EnvelopeDecodeException(Reason.MISSING_MESSAGE, "group " + gm.getGroupId());
            }
            if (MessageType.SNAPSHOT.name().equals(gm.getMessage().getType())) {
                throw new EnvelopeDecodeException(Reason.SNAPSHOT_OFF_SNAPSHOT_CALL, "group " + gm.getGroupId());
            }
            messages.add(new GroupMessage(gm.getGroupId(), decodeMessage(gm.getMessage(), NO_BYTES)));
        }
        return new Envelope(env.getFromNode(), env.getToNode(), messages, decodeHeartbeats(env.getHeartbeatsList()),
                decodeHeartbeats(env.getHeartbeatResponsesList()));
    }

    private static List<HeartbeatItem> decodeHeartbeats(List<io.flotilla.transport.proto.HeartbeatItem> items) {
        List<HeartbeatItem> out = new ArrayList<>(items.size());
        for (io.flotilla.transport.proto.HeartbeatItem hb : items) {
            out.add(new HeartbeatItem(hb.getGroupId(), hb.getFrom(), hb.getTo(), hb.getTerm(), hb.getCommit(),
                    hb.getQuiesce()));
        }
        return out;
    }

    /**
     * One Raft message. For a SNAPSHOT, {@code snapshotData} becomes the snapshot's data (the
     * reassembled chunks); it is ignored for other kinds.
     */
    public static Message decodeMessage(RaftMessage m, byte[] snapshotData) throws EnvelopeDecodeException {
        MessageType type = decodeType(m.getType());
        List<Entry> entries = new ArrayList<>(m.getEntriesCount());
        for (io.flotilla.transport.proto.Entry e : m.getEntriesList()) {
            entries.add(decodeEntry(e));
        }
        Snapshot snapshot = null;
        if (type == MessageType.SNAPSHOT) {
            if (!m.hasSnapshot()) {
                throw new EnvelopeDecodeException(Reason.MISSING_SNAPSHOT_METADATA, "from " + m.getFrom());
            }
            snapshot = new Snapshot(decodeMetadata(m.getSnapshot()), snapshotData);
        } else if (m.hasSnapshot()) {
            throw new EnvelopeDecodeException(Reason.UNEXPECTED_SNAPSHOT, type + " from " + m.getFrom());
        }
        byte[] context = m.getContext().isEmpty() ? null : m.getContext().toByteArray();
        return new Message(type, m.getTo(), m.getFrom(), m.getTerm(), m.getLogTerm(), m.getIndex(), entries,
                m.getCommit(), snapshot, m.getReject(), m.getRejectHint(), context, m.getPriority());
    }

    private static MessageType decodeType(String name) throws EnvelopeDecodeException {
        MessageType type;
        try {
            type = MessageType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new EnvelopeDecodeException(Reason.UNKNOWN_MESSAGE_TYPE, "'" + name + "'");
        }
        if (type.isLocal()) {
            // RawNode.step throws on these: one from the network would kill an engine worker.
            throw new EnvelopeDecodeException(Reason.LOCAL_MESSAGE_TYPE, name);
        }
        return type;
    }

    private static Entry decodeEntry(io.flotilla.transport.proto.Entry e) throws EnvelopeDecodeException {
        EntryType type = switch (e.getType()) {
            case ENTRY_NORMAL -> EntryType.NORMAL;
            case ENTRY_CONF_CHANGE -> EntryType.CONF_CHANGE;
            default -> throw new EnvelopeDecodeException(Reason.UNKNOWN_ENTRY_TYPE,
                    "entry type number " + e.getTypeValue() + " at index " + e.getIndex());
        };
        return new Entry(e.getTerm(), e.getIndex(), type, e.getData().toByteArray());
    }

    static SnapshotMetadata decodeMetadata(io.flotilla.transport.proto.SnapshotMetadata md) {
        io.flotilla.transport.proto.ConfState cs = md.getConfState();
        return new SnapshotMetadata(new ConfState(cs.getVotersList(), cs.getLearnersList(),
                cs.getVotersOutgoingList(), cs.getLearnersNextList(), cs.getAutoLeave()), md.getIndex(), md.getTerm());
    }
}
