package io.flotilla.store.server;

import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.LocalRangesRequest;
import io.flotilla.transport.proto.LocalRangesResponse;
import io.flotilla.transport.raft.AddressBook;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Asks every known node, in parallel and under one deadline, which ranges it holds
 * (LocalRanges). A node that does not answer in time counts as unreachable. ListRanges,
 * ListNodes, ClusterHealth and Locate all read the cluster through one of these surveys.
 */
public final class ClusterSurvey {
    /** One node's answer; {@code response} is null when it did not answer ({@code error} says why). */
    public record NodeReport(long nodeId, String address, LocalRangesResponse response, String error) {
        public boolean reachable() {
            return response != null;
        }
    }

    /** Every node's answer, ordered by node id. */
    public record Survey(List<NodeReport> reports) {
        public Survey {
            reports = List.copyOf(reports);
        }

        public NodeReport report(long nodeId) {
            for (NodeReport r : reports) {
                if (r.nodeId() == nodeId) {
                    return r;
                }
            }
            return null;
        }
    }

    private final long selfId;
    private final AddressBook book;
    private final PeerClients peers;
    private final Supplier<LocalRangesResponse> local;
    private final PeerLiveness liveness;
    private final LongSupplier clock;

    public ClusterSurvey(long selfId, AddressBook book, PeerClients peers, Supplier<LocalRangesResponse> local,
                         PeerLiveness liveness, LongSupplier clockMillis) {
        this.selfId = selfId;
        this.book = book;
        this.peers = peers;
        this.local = local;
        this.liveness = liveness;
        this.clock = clockMillis;
    }

    /** Surveys every node in the address book (and this one), waiting at most {@code timeout}. */
    public CompletableFuture<Survey> take(Duration timeout) {
        Map<Long, String> all = book.all();
        List<CompletableFuture<NodeReport>> asks = new ArrayList<>();
        asks.add(CompletableFuture.completedFuture(new NodeReport(selfId, all.get(selfId), local.get(), null)));
        for (Map.Entry<Long, String> e : all.entrySet()) {
            if (e.getKey() != selfId) {
                asks.add(ask(e.getKey(), e.getValue(), timeout));
            }
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<NodeReport> reports = new ArrayList<>();
            asks.forEach(f -> reports.add(f.join()));
            reports.sort((a, b) -> Long.compare(a.nodeId(), b.nodeId()));
            return new Survey(reports);
        });
    }

    private CompletableFuture<NodeReport> ask(long nodeId, String address, Duration timeout) {
        CompletableFuture<NodeReport> f = new CompletableFuture<>();
        try {
            AdminGrpc.newStub(peers.channel(address)).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .localRanges(LocalRangesRequest.getDefaultInstance(), new StreamObserver<>() {
                        @Override
                        public void onNext(LocalRangesResponse r) {
                            liveness.heard(nodeId, clock.getAsLong());
                            f.complete(new NodeReport(nodeId, address, r, null));
                        }

                        @Override
                        public void onError(Throwable t) {
                            f.complete(new NodeReport(nodeId, address, null, String.valueOf(t.getMessage())));
                        }

                        @Override
                        public void onCompleted() {
                            f.complete(new NodeReport(nodeId, address, null, "no answer"));
                        }
                    });
        } catch (RuntimeException e) {
            f.complete(new NodeReport(nodeId, address, null, String.valueOf(e.getMessage())));
        }
        return f;
    }
}
