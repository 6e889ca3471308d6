package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.transport.proto.Hello;
import io.flotilla.transport.proto.NodeAddress;
import io.flotilla.transport.proto.StreamDone;
import io.flotilla.transport.proto.StreamFrame;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * One peer's envelope stream on the receiving side: a Hello, then envelopes. gRPC calls it one
 * frame at a time, so it needs no locking.
 */
final class InboundStream implements StreamObserver<StreamFrame> {
    private static final Logger log = LoggerFactory.getLogger(InboundStream.class);

    private final long clusterId;
    private final long selfNodeId;
    private final AddressBook book;
    private final Consumer<Envelope> inbound;
    private final RaftTransportService.Counters counters;
    private final StreamObserver<StreamDone> response;
    /** The peer, once its Hello was accepted; 0 before. */
    private long peer;
    private boolean refused;
    private long received;
    private long decodeErrors;

    InboundStream(long clusterId, long selfNodeId, AddressBook book, Consumer<Envelope> inbound,
                  RaftTransportService.Counters counters, StreamObserver<StreamDone> response) {
        this.clusterId = clusterId;
        this.selfNodeId = selfNodeId;
        this.book = book;
        this.inbound = inbound;
        this.counters = counters;
        this.response = response;
    }

    @Override
    public void onNext(StreamFrame frame) {
        if (refused) {
            return;
        }
        switch (frame.getBodyCase()) {
            case HELLO -> onHello(frame.getHello());
            case ENVELOPE -> onEnvelope(frame.getEnvelope());
            default -> {
                counters.decodeErrors.increment();
                log.debug("raft stream from node {}: frame without a body dropped", peer);
            }
        }
    }

    private void onHello(Hello hello) {
        if (peer != 0) {
            refuse(Status.INVALID_ARGUMENT.withDescription("a second Hello on the stream from node " + peer));
            return;
        }
        if (hello.getClusterId() != clusterId) {
            refuse(Status.FAILED_PRECONDITION.withDescription("node " + hello.getFromNode() + " is in cluster "
                    + Long.toUnsignedString(hello.getClusterId()) + ", node " + selfNodeId + " in cluster "
                    + Long.toUnsignedString(clusterId)));
            return;
        }
        if (hello.getToNode() != selfNodeId) {
            refuse(Status.FAILED_PRECONDITION.withDescription("stream meant for node " + hello.getToNode()
                    + " reached node " + selfNodeId + " (stale address?)"));
            return;
        }
        long from = hello.getFromNode();
        if (from <= 0 || from == selfNodeId) {
            refuse(Status.INVALID_ARGUMENT.withDescription("Hello from node " + from + " to node " + selfNodeId));
            return;
        }
        // Our own entry is ours to set, and the sender's comes first-hand in from_address.
        List<NodeAddress> hearsay = hello.getKnownNodesList().stream()
                .filter(a -> a.getNodeId() != selfNodeId && a.getNodeId() != from).toList();
        try {
            AddressBook.validate(from, hello.getFromAddress());
            for (NodeAddress a : hearsay) {
                AddressBook.validate(a.getNodeId(), a.getAddress());
            }
        } catch (IllegalArgumentException e) {
            refuse(Status.INVALID_ARGUMENT.withDescription("bad address in Hello from node " + from + ": "
                    + e.getMessage()));
            return;
        }
        book.put(from, hello.getFromAddress());
        book.merge(hearsay);
        peer = from;
        counters.streamsAccepted.increment();
    }

    private void onEnvelope(io.flotilla.transport.proto.Envelope wire) {
        if (peer == 0) {
            refuse(Status.FAILED_PRECONDITION.withDescription("the first frame of a raft stream must be a Hello"));
            return;
        }
        Envelope env;
        try {
            if (wire.getFromNode() != peer || wire.getToNode() != selfNodeId) {
                throw new EnvelopeDecodeException(EnvelopeDecodeException.Reason.MISADDRESSED, "envelope "
                        + wire.getFromNode() + "->" + wire.getToNode() + " on the stream " + peer + "->" + selfNodeId);
            }
            env = EnvelopeCodec.decode(wire);
        } catch (EnvelopeDecodeException e) {
            counters.decodeErrors.increment();
            // Once per stream at warn level: a peer on a newer version may send such envelopes every tick.
            if (decodeErrors++ == 0) {
                log.warn("raft stream from node {}: envelope dropped (further ones logged at debug): {}", peer,
                        e.getMessage());
            } else {
                log.debug("raft stream from node {}: envelope dropped: {}", peer, e.getMessage());
            }
            return;
        }
        try {
            inbound.accept(env);
            counters.envelopesReceived.increment();
            received++;
        } catch (RuntimeException e) {
            counters.deliveryErrors.increment();
            log.error("raft stream from node {}: the engine refused an envelope", peer, e);
        }
    }

    private void refuse(Status status) {
        refused = true;
        counters.streamsRefused.increment();
        log.warn("raft stream refused: {}", status.getDescription());
        response.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
        // The peer went away or cancelled; it reconnects on its own.
    }

    @Override
    public void onCompleted() {
        if (!refused) {
            response.onNext(StreamDone.newBuilder().setEnvelopesReceived(received).build());
            response.onCompleted();
        }
    }
}
