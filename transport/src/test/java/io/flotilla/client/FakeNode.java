package io.flotilla.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.flotilla.client.routing.RangeBounds;
import io.flotilla.transport.proto.AdminGrpc;
import io.flotilla.transport.proto.BatchOp;
import io.flotilla.transport.proto.BatchRequest;
import io.flotilla.transport.proto.BatchResponse;
import io.flotilla.transport.proto.ClusterHealthRequest;
import io.flotilla.transport.proto.ClusterHealthResponse;
import io.flotilla.transport.proto.CompareAndSetRequest;
import io.flotilla.transport.proto.CompareAndSetResponse;
import io.flotilla.transport.proto.DeleteRequest;
import io.flotilla.transport.proto.EpochNotMatch;
import io.flotilla.transport.proto.GetRequest;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.InvalidArgument;
import io.flotilla.transport.proto.KeyNotInRange;
import io.flotilla.transport.proto.KeyValue;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.ListNodesRequest;
import io.flotilla.transport.proto.ListNodesResponse;
import io.flotilla.transport.proto.ListRangesRequest;
import io.flotilla.transport.proto.ListRangesResponse;
import io.flotilla.transport.proto.LocateRequest;
import io.flotilla.transport.proto.LocateResponse;
import io.flotilla.transport.proto.NodeState;
import io.flotilla.transport.proto.NodeStatus;
import io.flotilla.transport.proto.NotLeader;
import io.flotilla.transport.proto.ProposalDropped;
import io.flotilla.transport.proto.PutRequest;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.RangeNotFound;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.RequestHeader;
import io.flotilla.transport.proto.ScanRequest;
import io.flotilla.transport.proto.ScanResponse;
import io.flotilla.transport.proto.SplitRangeRequest;
import io.flotilla.transport.proto.SplitRangeResponse;
import io.flotilla.transport.proto.Timeout;
import io.flotilla.transport.proto.WriteResponse;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A loopback gRPC server that plays one Flotilla node for client tests: it answers Kv and Admin
 * calls from the {@link FakeCluster}'s truth the way a real node would (typed errors for a stale
 * epoch, a key outside the range, a non-leader), and lets a test script the next answers of a
 * method or replace its handler. A handler may throw a {@link StatusRuntimeException} to fail
 * the call, or return null to never answer it.
 */
final class FakeNode implements AutoCloseable {
    /** The most ranges the fake puts in one ListRanges page, so that listings need several pages. */
    static final int MAX_PAGE = 2;

    /** One call this node received. */
    record Seen(String method, RequestHeader header, ByteString key, Message request) {
    }

    private final long nodeId;
    private final FakeCluster cluster;
    private final Server server;
    private final String address;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedDeque<Function<Message, Message>>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Function<Message, Message>> overrides = new ConcurrentHashMap<>();

    private FakeNode(long nodeId, FakeCluster cluster) throws IOException {
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new KvService())
                .addService(new AdminService())
                .build()
                .start();
        this.address = "127.0.0.1:" + server.getPort();
    }

    static FakeNode start(long nodeId, FakeCluster cluster) throws IOException {
        return new FakeNode(nodeId, cluster);
    }

    long id() {
        return nodeId;
    }

    String address() {
        return address;
    }

    /** Answers the next call of {@code method} (e.g. "Put") with this handler instead of the default. */
    void script(String method, Function<Message, Message> handler) {
        scripted.computeIfAbsent(method, m -> new ConcurrentLinkedDeque<>()).add(handler);
    }

    /** Answers every call of {@code method} with this handler (scripted answers still come first). */
    void override(String method, Function<Message, Message> handler) {
        overrides.put(method, handler);
    }

    List<Seen> seen(String method) {
        return seen.stream().filter(s -> s.method().equals(method)).toList();
    }

    int count(String method) {
        return seen(method).size();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- errors, for tests to script

    static KvError notLeader(long rangeId, long leaderNodeId, String leaderAddress) {
        return KvError.newBuilder().setMessage("not leader").setNotLeader(NotLeader.newBuilder()
                .setRangeId(rangeId).setLeaderNodeId(leaderNodeId).setLeaderAddress(leaderAddress)).build();
    }

    static KvError proposalDropped() {
        return KvError.newBuilder().setMessage("dropped")
                .setProposalDropped(ProposalDropped.getDefaultInstance()).build();
    }

    static KvError timeout() {
        return KvError.newBuilder().setMessage("timed out").setTimeout(Timeout.getDefaultInstance()).build();
    }

    static KvError invalidArgument(String message) {
        return KvError.newBuilder().setMessage(message)
                .setInvalidArgument(InvalidArgument.getDefaultInstance()).build();
    }

    static KvError keyNotInRange(ByteString key) {
        return KvError.newBuilder().setMessage("key not in range")
                .setKeyNotInRange(KeyNotInRange.newBuilder().setKey(key)).build();
    }

    // ---- the node's rules

    /** What a real node checks before serving: the range is here, the epoch current, the key inside, we lead. */
    private KvError check(RequestHeader header, ByteString key) {
        RangeDescriptor range = header.getRangeId() == 0
                ? cluster.rangeFor(key)
                : cluster.rangeById(header.getRangeId());
        if (range == null || range.getReplicasList().stream().noneMatch(r -> r.getNodeId() == nodeId)) {
            return KvError.newBuilder().setMessage("range not here")
                    .setRangeNotFound(RangeNotFound.newBuilder().setRangeId(header.getRangeId())).build();
        }
        if (header.getRangeId() != 0 && header.getRangeVersion() != range.getVersion()) {
            EpochNotMatch.Builder current = EpochNotMatch.newBuilder().addCurrent(range);
            RangeDescriptor holder = cluster.rangeFor(key);
            if (holder != null && holder.getRangeId() != range.getRangeId()) {
                current.addCurrent(holder);
            }
            return KvError.newBuilder().setMessage("epoch").setEpochNotMatch(current).build();
        }
        if (!RangeBounds.contains(range, key)) {
            return keyNotInRange(key);
        }
        long leader = cluster.leaderOf(range.getRangeId());
        if (leader != nodeId) {
            FakeNode leaderNode = cluster.node(leader);
            return notLeader(range.getRangeId(), leader, leaderNode == null ? "" : leaderNode.address());
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private <Resp extends Message> void serve(String method, Message request, RequestHeader header, ByteString key,
            StreamObserver<Resp> observer, Supplier<Message> defaultAnswer) {
        seen.add(new Seen(method, header, key, request));
        ConcurrentLinkedDeque<Function<Message, Message>> queue = scripted.get(method);
        Function<Message, Message> handler = queue == null ? null : queue.poll();
        if (handler == null) {
            handler = overrides.get(method);
        }
        Message answer;
        try {
            answer = handler != null ? handler.apply(request) : defaultAnswer.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        }
        if (answer == null) {
            return; // Never answered: the client's deadline has to end it.
        }
        observer.onNext((Resp) answer);
        observer.onCompleted();
    }

    private final class KvService extends KvGrpc.KvImplBase {
        @Override
        public void locate(LocateRequest request, StreamObserver<LocateResponse> observer) {
            serve("Locate", request, RequestHeader.getDefaultInstance(), request.getKey(), observer, () -> {
                RangeDescriptor range = cluster.rangeFor(request.getKey());
                if (range == null) {
                    return LocateResponse.newBuilder().setError(KvError.newBuilder().setMessage("no range")
                            .setRangeNotFound(RangeNotFound.getDefaultInstance())).build();
                }
                long leader = cluster.leaderOf(range.getRangeId());
                FakeNode leaderNode = cluster.node(leader);
                return LocateResponse.newBuilder().setRange(range).setLeaderNodeId(leader)
                        .setLeaderAddress(leaderNode == null ? "" : leaderNode.address()).build();
            });
        }

        @Override
        public void get(GetRequest request, StreamObserver<GetResponse> observer) {
            serve("Get", request, request.getHeader(), request.getKey(), observer, () -> {
                KvError error = check(request.getHeader(), request.getKey());
                if (error != null) {
                    return GetResponse.newBuilder().setError(error).build();
                }
                ByteString value = cluster.value(request.getKey());
                return value == null ? GetResponse.getDefaultInstance()
                        : GetResponse.newBuilder().setFound(true).setValue(value).build();
            });
        }

        @Override
        public void put(PutRequest request, StreamObserver<WriteResponse> observer) {
            serve("Put", request, request.getHeader(), request.getKey(), observer,
                    () -> write(request.getHeader(), request.getKey(), request.getValue()));
        }

        @Override
        public void delete(DeleteRequest request, StreamObserver<WriteResponse> observer) {
            serve("Delete", request, request.getHeader(), request.getKey(), observer,
                    () -> write(request.getHeader(), request.getKey(), null));
        }

        private WriteResponse write(RequestHeader header, ByteString key, ByteString valueOrNull) {
            KvError error = check(header, key);
            if (error != null) {
                return WriteResponse.newBuilder().setError(error).build();
            }
            cluster.applyOnce(header.getClientId(), header.getSeq(), () -> cluster.write(key, valueOrNull), key);
            return WriteResponse.newBuilder().setIndex(1).build();
        }

        @Override
        public void scan(ScanRequest request, StreamObserver<ScanResponse> observer) {
            serve("Scan", request, request.getHeader(), request.getStartKey(), observer, () -> {
                KvError error = check(request.getHeader(), request.getStartKey());
                if (error != null) {
                    return ScanResponse.newBuilder().setError(error).build();
                }
                RangeDescriptor range = cluster.rangeById(request.getHeader().getRangeId());
                ByteString end = request.getEndKey();
                boolean rangeEndsFirst = !range.getEndKey().isEmpty()
                        && (end.isEmpty() || RangeBounds.KEY_ORDER.compare(range.getEndKey(), end) < 0);
                ByteString stop = rangeEndsFirst ? range.getEndKey() : end;
                var span = stop.isEmpty()
                        ? cluster.dataSnapshot().tailMap(request.getStartKey(), true)
                        : cluster.dataSnapshot().subMap(request.getStartKey(), true, stop, false);
                ScanResponse.Builder response = ScanResponse.newBuilder();
                for (Map.Entry<ByteString, ByteString> entry : span.entrySet()) {
                    if (response.getKvsCount() == request.getLimit()) {
                        return response.setResumeKey(entry.getKey()).build();
                    }
                    response.addKvs(KeyValue.newBuilder().setKey(entry.getKey()).setValue(entry.getValue()));
                }
                return rangeEndsFirst ? response.setResumeKey(range.getEndKey()).build() : response.build();
            });
        }

        @Override
        public void compareAndSet(CompareAndSetRequest request, StreamObserver<CompareAndSetResponse> observer) {
            serve("CompareAndSet", request, request.getHeader(), request.getKey(), observer, () -> {
                KvError error = check(request.getHeader(), request.getKey());
                if (error != null) {
                    return CompareAndSetResponse.newBuilder().setError(error).build();
                }
                ByteString actual = cluster.value(request.getKey());
                if (!matches(request, actual)) {
                    return CompareAndSetResponse.newBuilder().setFound(actual != null)
                            .setActual(actual == null ? ByteString.EMPTY : actual).build();
                }
                cluster.applyOnce(request.getHeader().getClientId(), request.getHeader().getSeq(),
                        () -> cluster.write(request.getKey(), request.getDelete() ? null : request.getValue()),
                        request.getKey());
                return CompareAndSetResponse.newBuilder().setSucceeded(true).build();
            });
        }

        @Override
        public void batch(BatchRequest request, StreamObserver<BatchResponse> observer) {
            ByteString first = request.getOpsCount() == 0 ? ByteString.EMPTY : keyOf(request.getOps(0));
            serve("Batch", request, request.getHeader(), first, observer, () -> {
                for (BatchOp op : request.getOpsList()) {
                    KvError error = check(request.getHeader(), keyOf(op));
                    if (error != null) {
                        return BatchResponse.newBuilder().setError(error).build();
                    }
                }
                for (BatchOp op : request.getOpsList()) {
                    if (op.hasCompareAndSet()) {
                        ByteString actual = cluster.value(op.getCompareAndSet().getKey());
                        if (!matches(op.getCompareAndSet(), actual)) {
                            return BatchResponse.newBuilder().setFound(actual != null)
                                    .setActual(actual == null ? ByteString.EMPTY : actual).build();
                        }
                    }
                }
                cluster.applyOnce(request.getHeader().getClientId(), request.getHeader().getSeq(), () -> {
                    for (BatchOp op : request.getOpsList()) {
                        switch (op.getOpCase()) {
                            case PUT -> cluster.write(op.getPut().getKey(), op.getPut().getValue());
                            case DELETE -> cluster.write(op.getDelete().getKey(), null);
                            case DELETE_RANGE -> cluster.deleteRange(op.getDeleteRange().getStartKey(),
                                    op.getDeleteRange().getEndKey());
                            default -> cluster.write(op.getCompareAndSet().getKey(),
                                    op.getCompareAndSet().getDelete() ? null : op.getCompareAndSet().getValue());
                        }
                    }
                }, first);
                return BatchResponse.newBuilder().setSucceeded(true).build();
            });
        }

        private ByteString keyOf(BatchOp op) {
            switch (op.getOpCase()) {
                case PUT:
                    return op.getPut().getKey();
                case DELETE:
                    return op.getDelete().getKey();
                case DELETE_RANGE:
                    return op.getDeleteRange().getStartKey();
                default:
                    return op.getCompareAndSet().getKey();
            }
        }

        private boolean matches(CompareAndSetRequest request, ByteString actual) {
            return request.getExpectAbsent() ? actual == null : request.getExpected().equals(actual);
        }
    }

    private final class AdminService extends AdminGrpc.AdminImplBase {
        @Override
        public void listRanges(ListRangesRequest request, StreamObserver<ListRangesResponse> observer) {
            serve("ListRanges", request, RequestHeader.getDefaultInstance(), request.getPageToken(), observer, () -> {
                int size = Math.min(MAX_PAGE, request.getPageSize());
                List<RangeDescriptor> after = new ArrayList<>();
                for (RangeDescriptor range : cluster.ranges()) {
                    if (RangeBounds.KEY_ORDER.compare(range.getStartKey(), request.getPageToken()) >= 0) {
                        after.add(range);
                    }
                }
                ListRangesResponse.Builder response = ListRangesResponse.newBuilder();
                for (RangeDescriptor range : after.subList(0, Math.min(size, after.size()))) {
                    response.addRanges(RangeStatus.newBuilder().setRange(range)
                            .setLeaderNodeId(cluster.leaderOf(range.getRangeId())));
                }
                if (after.size() > size) {
                    response.setNextPageToken(after.get(size).getStartKey());
                }
                return response.build();
            });
        }

        @Override
        public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> observer) {
            serve("ListNodes", request, RequestHeader.getDefaultInstance(), ByteString.EMPTY, observer,
                    () -> ListNodesResponse.newBuilder().addNodes(NodeStatus.newBuilder().setNodeId(nodeId)
                            .setAddress(address).setState(NodeState.NODE_UP)).build());
        }

        @Override
        public void clusterHealth(ClusterHealthRequest request, StreamObserver<ClusterHealthResponse> observer) {
            serve("ClusterHealth", request, RequestHeader.getDefaultInstance(), ByteString.EMPTY, observer,
                    () -> ClusterHealthResponse.newBuilder().setHealthy(true).setRanges(cluster.ranges().size())
                            .setNodesUp(1).build());
        }

        @Override
        public void splitRange(SplitRangeRequest request, StreamObserver<SplitRangeResponse> observer) {
            serve("SplitRange", request, RequestHeader.getDefaultInstance(), request.getSplitKey(), observer, () -> {
                RangeDescriptor parent = cluster.rangeFor(request.getSplitKey());
                long newId = cluster.ranges().stream().mapToLong(RangeDescriptor::getRangeId).max().orElse(0) + 1;
                cluster.split(request.getSplitKey().toStringUtf8(), newId);
                return SplitRangeResponse.newBuilder().setLeft(cluster.rangeById(parent.getRangeId()))
                        .setRight(cluster.rangeById(newId)).build();
            });
        }
    }
}
