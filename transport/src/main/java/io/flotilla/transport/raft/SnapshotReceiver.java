package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.engine.GroupMessage;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.transport.proto.SnapshotChunk;
import io.flotilla.transport.proto.SnapshotDone;
import io.flotilla.transport.proto.SnapshotHeader;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * One incoming Snapshot call: checks the header, reassembles the chunks into a buffer of exactly
 * {@code total_bytes} (capped), and only when every byte has arrived delivers one envelope with
 * the SNAPSHOT message. A short, long or malformed call delivers nothing and ends with an error
 * status, so the sender stops at once.
 */
final class SnapshotReceiver implements StreamObserver<SnapshotChunk> {
    private static final Logger log = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final long selfNodeId;
    private final long maxSnapshotBytes;
    private final Consumer<Envelope> inbound;
    private final RaftTransportService.Counters counters;
    private final StreamObserver<SnapshotDone> response;
    private final Runnable release;
    private SnapshotHeader header;
    private Message message;
    private byte[] data;
    private int received;
    private boolean ended;

    SnapshotReceiver(long selfNodeId, long maxSnapshotBytes, Consumer<Envelope> inbound,
                     RaftTransportService.Counters counters, StreamObserver<SnapshotDone> response, Runnable release) {
        this.selfNodeId = selfNodeId;
        this.maxSnapshotBytes = maxSnapshotBytes;
        this.inbound = inbound;
        this.counters = counters;
        this.response = response;
        this.release = release;
    }

    /** Refuses a call before reading any of it; what the caller sends is ignored. */
    static StreamObserver<SnapshotChunk> refuse(StreamObserver<SnapshotDone> response,
                                                RaftTransportService.Counters counters, Status status) {
        counters.snapshotsRefused.increment();
        log.warn("snapshot refused: {}", status.getDescription());
        response.onError(status.asRuntimeException());
        return new StreamObserver<>() {
            @Override
            public void onNext(SnapshotChunk value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
        if (ended) {
            return;
        }
        switch (chunk.getBodyCase()) {
            case HEADER -> onHeader(chunk.getHeader());
            case DATA -> onData(chunk.getData());
            default -> fail(Status.INVALID_ARGUMENT.withDescription("snapshot chunk without a body"));
        }
    }

    private void onHeader(SnapshotHeader h) {
        if (header != null) {
            fail(Status.INVALID_ARGUMENT.withDescription("a second snapshot header"));
            return;
        }
        if (h.getToNode() != selfNodeId) {
            fail(Status.FAILED_PRECONDITION.withDescription("snapshot meant for node " + h.getToNode()
                    + " reached node " + selfNodeId));
            return;
        }
        if (h.getFromNode() <= 0 || h.getFromNode() == selfNodeId || !h.hasMessage()) {
            fail(Status.INVALID_ARGUMENT.withDescription("snapshot header from node " + h.getFromNode()
                    + (h.hasMessage() ? "" : " without its message")));
            return;
        }
        if (!MessageType.SNAPSHOT.name().equals(h.getMessage().getType())) {
            fail(Status.INVALID_ARGUMENT.withDescription("snapshot header carries a " + h.getMessage().getType()
                    + " message"));
            return;
        }
        long total = h.getTotalBytes();
        // total_bytes is unsigned on the wire: a huge value reads as negative here.
        if (total < 0 || total > maxSnapshotBytes) {
            fail(Status.RESOURCE_EXHAUSTED.withDescription("snapshot of " + Long.toUnsignedString(total)
                    + " bytes exceeds the limit of " + maxSnapshotBytes));
            return;
        }
        try {
            message = EnvelopeCodec.decodeMessage(h.getMessage(), null);
        } catch (EnvelopeDecodeException e) {
            fail(Status.INVALID_ARGUMENT.withDescription("snapshot header: " + e.getMessage()));
            return;
        }
        header = h;
        data = new byte[(int) total];
    }

    private void onData(com.google.protobuf.ByteString bytes) {
        if (header == null) {
            fail(Status.FAILED_PRECONDITION.withDescription("snapshot data before the header"));
            return;
        }
        if ((long) received + bytes.size() > data.length) {
            fail(Status.INVALID_ARGUMENT.withDescription("snapshot data exceeds total_bytes " + data.length));
            return;
        }
        bytes.copyTo(data, received);
        received += bytes.size();
        counters.snapshotChunksReceived.increment();
    }

    @Override
    public void onCompleted() {
        if (ended) {
            return;
        }
        if (header == null) {
            fail(Status.INVALID_ARGUMENT.withDescription("snapshot call without a header"));
            return;
        }
        if (received != data.length) {
            fail(Status.INVALID_ARGUMENT.withDescription("snapshot truncated: " + received + " of " + data.length
                    + " bytes"));
            return;
        }
        Message full = message.toBuilder().snapshot(new io.flotilla.raft.message.Snapshot(
                message.snapshot().metadata(), data)).build();
        Envelope env = new Envelope(header.getFromNode(), selfNodeId, List.of(new GroupMessage(header.getGroupId(),
                full)), List.of(), List.of());
        end();
        try {
            inbound.accept(env);
        } catch (RuntimeException e) {
            counters.deliveryErrors.increment();
            counters.snapshotsRefused.increment();
            log.error("the engine refused a snapshot of group {} from node {}", header.getGroupId(),
                    header.getFromNode(), e);
            response.onNext(SnapshotDone.newBuilder().setAccepted(false).setError("engine refused: " + e).build());
            response.onCompleted();
            return;
        }
        counters.snapshotsReceived.increment();
        response.onNext(SnapshotDone.newBuilder().setAccepted(true).build());
        response.onCompleted();
    }

    @Override
    public void onError(Throwable t) {
        // The sender gave up or the deadline passed: nothing was delivered.
        if (!ended) {
            counters.snapshotsRefused.increment();
            end();
        }
    }

    private void fail(Status status) {
        counters.snapshotsRefused.increment();
        log.warn("snapshot call from node {} refused: {}", header == null ? 0 : header.getFromNode(),
                status.getDescription());
        end();
        response.onError(status.asRuntimeException());
    }

    /** Frees the buffer and the receiving slot, once. */
    private void end() {
        ended = true;
        data = null;
        release.run();
    }
}
