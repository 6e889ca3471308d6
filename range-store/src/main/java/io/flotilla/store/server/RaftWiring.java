package io.flotilla.store.server;

import io.flotilla.engine.Envelope;
import io.flotilla.engine.MessageSender;
import io.flotilla.engine.NodeEngine;
import io.flotilla.transport.raft.AddressBook;
import io.flotilla.transport.raft.GrpcRaftTransport;
import io.flotilla.transport.raft.RaftTransportOptions;
import io.flotilla.transport.raft.RaftTransportService;
import io.grpc.BindableService;

import java.util.function.Consumer;

/**
 * How a node's engine reaches its peers' engines. The node process uses gRPC on its one port;
 * tests may connect nodes in memory instead and still serve KV and Admin over real gRPC.
 */
@FunctionalInterface
public interface RaftWiring {

    /**
     * Opens this node's side of the Raft network.
     *
     * @param inbound where envelopes from peers go (never blocks)
     */
    RaftLink open(long clusterId, long selfNodeId, String selfAddress, AddressBook book, Consumer<Envelope> inbound);

    /** One node's end of the Raft network: the sender its engine uses, and what receives. */
    interface RaftLink extends MessageSender, AutoCloseable {
        /** The service that receives peers' Raft traffic on the node's server; null if none. */
        BindableService service();

        /** Called once the node's engine exists (an in-memory network registers it here). */
        default void attach(NodeEngine engine) {
        }

        @Override
        void close();
    }

    /** Raft over gRPC: one stream per peer out, the RaftTransport service in. */
    static RaftWiring grpc(RaftTransportOptions options) {
        return (clusterId, selfNodeId, selfAddress, book, inbound) -> {
            GrpcRaftTransport out = new GrpcRaftTransport(clusterId, selfNodeId, selfAddress, book, options);
            RaftTransportService in = new RaftTransportService(clusterId, selfNodeId, book, inbound, options);
            return new RaftLink() {
                @Override
                public void send(Envelope envelope) {
                    out.send(envelope);
                }

                @Override
                public BindableService service() {
                    return in;
                }

                @Override
                public void close() {
                    out.close();
                }
            };
        };
    }
}
