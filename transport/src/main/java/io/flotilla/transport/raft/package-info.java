/**
 * Node-to-node Raft traffic over gRPC. {@link io.flotilla.transport.raft.GrpcRaftTransport} is
 * the engine's {@code MessageSender}: one long-lived Stream call per destination node carrying
 * encoded envelopes from a bounded queue, and Snapshot calls for snapshot data.
 * {@link io.flotilla.transport.raft.RaftTransportService} receives both and hands envelopes to
 * the engine. {@link io.flotilla.transport.raft.EnvelopeCodec} maps engine types to the wire
 * ({@code flotilla/v1/raft.proto}); {@link io.flotilla.transport.raft.AddressBook} says where
 * each node listens.
 */
package io.flotilla.transport.raft;
