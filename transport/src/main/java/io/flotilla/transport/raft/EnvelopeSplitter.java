package io.flotilla.transport.raft;

import com.google.protobuf.CodedOutputStream;
import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.engine.HeartbeatItem;
import io.flotilla.transport.proto.StreamFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes an engine envelope as one or more wire envelopes of at most {@code maxBytes} each.
 *
 * <p>One engine cycle may batch appends of hundreds of groups (up to 1 MiB each) for one peer,
 * and a tick may coalesce the heartbeats of a hundred thousand groups: more than a receiver's
 * message limit, which would reset the whole stream. Every part is a whole envelope in its own
 * right, items keep their order, and losing one part is the same as the network losing those
 * messages, which Raft tolerates. An item too large for any part on its own is dropped and
 * counted (the Raft core caps message sizes well below the limit, so it is not expected).</p>
 */
final class EnvelopeSplitter {
    private static final int MESSAGES_FIELD = io.flotilla.transport.proto.Envelope.MESSAGES_FIELD_NUMBER;
    private static final int HEARTBEATS_FIELD = io.flotilla.transport.proto.Envelope.HEARTBEATS_FIELD_NUMBER;
    private static final int RESPONSES_FIELD = io.flotilla.transport.proto.Envelope.HEARTBEAT_RESPONSES_FIELD_NUMBER;

    /** The frames to send, in order, and how many items were too large to send at all. */
    record Split(List<StreamFrame> frames, int droppedItems) {
    }

    private final long fromNode;
    private final long toNode;
    private final int maxBytes;
    private final int headerBytes;
    private final List<StreamFrame> frames = new ArrayList<>(1);
    private io.flotilla.transport.proto.Envelope.Builder current;
    private long currentBytes;
    private int dropped;

    private EnvelopeSplitter(long fromNode, long toNode, int maxBytes) {
        this.fromNode = fromNode;
        this.toNode = toNode;
        this.maxBytes = maxBytes;
        this.headerBytes = CodedOutputStream.computeUInt64Size(1, fromNode)
                + CodedOutputStream.computeUInt64Size(2, toNode);
    }

    /**
     * @throws IllegalArgumentException if the envelope holds a SNAPSHOT message
     */
    static Split split(Envelope env, int maxBytes) {
        EnvelopeSplitter s = new EnvelopeSplitter(env.fromNode(), env.toNode(), maxBytes);
        for (GroupMessage gm : env.messages()) {
            io.flotilla.transport.proto.GroupMessage m = EnvelopeCodec.encodeGroupMessage(gm);
            s.add(CodedOutputStream.computeMessageSize(MESSAGES_FIELD, m), b -> b.addMessages(m));
        }
        for (HeartbeatItem hb : env.heartbeats()) {
            io.flotilla.transport.proto.HeartbeatItem h = EnvelopeCodec.encodeHeartbeat(hb);
            s.add(CodedOutputStream.computeMessageSize(HEARTBEATS_FIELD, h), b -> b.addHeartbeats(h));
        }
        for (HeartbeatItem hb : env.heartbeatResponses()) {
            io.flotilla.transport.proto.HeartbeatItem h = EnvelopeCodec.encodeHeartbeat(hb);
            s.add(CodedOutputStream.computeMessageSize(RESPONSES_FIELD, h), b -> b.addHeartbeatResponses(h));
        }
        if (s.current == null && s.frames.isEmpty() && s.dropped == 0) {
            s.start(); // an empty envelope still goes: it is a liveness ping
        }
        s.finish();
        return new Split(List.copyOf(s.frames), s.dropped);
    }

    private void add(int itemBytes, java.util.function.Consumer<io.flotilla.transport.proto.Envelope.Builder> item) {
        if (headerBytes + (long) itemBytes > maxBytes) {
            dropped++;
            return;
        }
        if (current != null && currentBytes + itemBytes > maxBytes) {
            finish();
        }
        if (current == null) {
            start();
        }
        item.accept(current);
        currentBytes += itemBytes;
    }

    private void start() {
        current = io.flotilla.transport.proto.Envelope.newBuilder().setFromNode(fromNode).setToNode(toNode);
        currentBytes = headerBytes;
    }

    private void finish() {
        if (current != null) {
            frames.add(StreamFrame.newBuilder().setEnvelope(current).build());
            current = null;
        }
    }
}
