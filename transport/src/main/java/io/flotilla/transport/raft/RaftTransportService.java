package io.flotilla.transport.raft;

import io.flotilla.engine.Envelope;
import io.flotilla.transport.proto.RaftTransportGrpc;
import io.flotilla.transport.proto.SnapshotChunk;
import io.flotilla.transport.proto.SnapshotDone;
import io.flotilla.transport.proto.StreamDone;
import io.flotilla.transport.proto.StreamFrame;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The receiving side of the Raft transport: peers' envelope streams and snapshot calls, decoded
 * and handed to {@code inbound} (the node's {@code NodeEngine::receive}, which must not block).
 *
 * <p>Add it to the node's one server like any service: {@code serverBuilder.addService(service)}
 * (its {@link #bindService()} brings the interceptor it needs). Set the server's
 * {@code maxInboundMessageSize} to {@link RaftTransportOptions#maxInboundMessageBytes()} (16 MiB
 * by default): senders cut envelopes to {@code maxEnvelopeBytes} and snapshots into chunks of
 * {@code snapshotChunkBytes}, both below it. (With the 2 MiB and 1 MiB defaults a server left at
 * gRPC's 4 MiB default works too.)</p>
 *
 * <p>A stream must open with a Hello for this cluster and this node, else it is closed with
 * FAILED_PRECONDITION. An envelope that does not decode is dropped and counted; the stream goes
 * on. A snapshot is reassembled (within {@code maxSnapshotBytes}) and delivered as one envelope
 * holding its SNAPSHOT message only once every byte has arrived.</p>
 */
public final class RaftTransportService implements RaftTransportGrpc.AsyncService, BindableService {

    /**
     * What the receiving side has seen.
     *
     * @param envelopesReceived       envelopes decoded and handed to the engine
     * @param decodeErrors            envelopes dropped because they did not decode (or were misaddressed)
     * @param deliveryErrors          envelopes the inbound consumer threw on
     * @param streamsAccepted         streams whose Hello was accepted
     * @param streamsRefused          streams closed for a bad or missing Hello
     * @param snapshotsReceived       snapshots delivered whole
     * @param snapshotsRefused        snapshot calls refused or broken off
     * @param snapshotChunksReceived  data chunks received on snapshot calls
     */
    public record Stats(long envelopesReceived, long decodeErrors, long deliveryErrors, long streamsAccepted,
                        long streamsRefused, long snapshotsReceived, long snapshotsRefused,
                        long snapshotChunksReceived) {
    }

    /** Counters shared with the per-call handlers. */
    static final class Counters {
        final LongAdder envelopesReceived = new LongAdder();
        final LongAdder decodeErrors = new LongAdder();
        final LongAdder deliveryErrors = new LongAdder();
        final LongAdder streamsAccepted = new LongAdder();
        final LongAdder streamsRefused = new LongAdder();
        final LongAdder snapshotsReceived = new LongAdder();
        final LongAdder snapshotsRefused = new LongAdder();
        final LongAdder snapshotChunksReceived = new LongAdder();
    }

    private final long clusterId;
    private final long selfNodeId;
    private final AddressBook book;
    private final Consumer<Envelope> inbound;
    private final RaftTransportOptions options;
    private final Counters counters = new Counters();
    private final AtomicInteger snapshotsInFlight = new AtomicInteger();

    public RaftTransportService(long clusterId, long selfNodeId, AddressBook book, Consumer<Envelope> inbound,
                                RaftTransportOptions options) {
        if (selfNodeId <= 0) {
            throw new IllegalArgumentException("node id must be positive, got " + selfNodeId);
        }
        this.clusterId = clusterId;
        this.selfNodeId = selfNodeId;
        this.book = Objects.requireNonNull(book, "book");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public StreamObserver<StreamFrame> stream(StreamObserver<StreamDone> responseObserver) {
        return new InboundStream(clusterId, selfNodeId, book, inbound, counters, responseObserver);
    }

    @Override
    public StreamObserver<SnapshotChunk> snapshot(StreamObserver<SnapshotDone> responseObserver) {
        Long claimed = ClusterIdHeader.ofCurrentCall();
        if (claimed == null || claimed != clusterId) {
            return SnapshotReceiver.refuse(responseObserver, counters, Status.FAILED_PRECONDITION.withDescription(
                    "snapshot for cluster " + (claimed == null ? "(none given)" : Long.toUnsignedString(claimed))
                            + " sent to node " + selfNodeId + " of cluster " + Long.toUnsignedString(clusterId)));
        }
        if (snapshotsInFlight.incrementAndGet() > options.maxConcurrentSnapshots()) {
            snapshotsInFlight.decrementAndGet();
            return SnapshotReceiver.refuse(responseObserver, counters, Status.RESOURCE_EXHAUSTED.withDescription(
                    "node " + selfNodeId + " is already receiving " + options.maxConcurrentSnapshots()
                            + " snapshots"));
        }
        return new SnapshotReceiver(selfNodeId, options.maxSnapshotBytes(), inbound, counters, responseObserver,
                snapshotsInFlight::decrementAndGet);
    }

    /**
     * The service with the interceptor that reads the snapshot calls' cluster id header. (This is
     * why the class implements {@code AsyncService} rather than extending the generated
     * {@code RaftTransportImplBase}, whose {@code bindService} is final.)
     */
    @Override
    public ServerServiceDefinition bindService() {
        return ServerInterceptors.intercept(RaftTransportGrpc.bindService(this), ClusterIdHeader.capture());
    }

    public Stats stats() {
        Counters c = counters;
        return new Stats(c.envelopesReceived.sum(), c.decodeErrors.sum(), c.deliveryErrors.sum(),
                c.streamsAccepted.sum(), c.streamsRefused.sum(), c.snapshotsReceived.sum(), c.snapshotsRefused.sum(),
                c.snapshotChunksReceived.sum());
    }
}
