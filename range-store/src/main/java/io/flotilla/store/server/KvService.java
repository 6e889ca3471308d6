package io.flotilla.store.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.flotilla.engine.NodeEngine;
import io.flotilla.store.node.ReadMode;
import io.flotilla.store.node.StoreNode;
import io.flotilla.store.range.ApplyResult;
import io.flotilla.store.range.KvOp;
import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.RangeStateMachine;
import io.flotilla.transport.proto.BatchOp;
import io.flotilla.transport.proto.BatchRequest;
import io.flotilla.transport.proto.BatchResponse;
import io.flotilla.transport.proto.CompareAndSetRequest;
import io.flotilla.transport.proto.CompareAndSetResponse;
import io.flotilla.transport.proto.DeleteRequest;
import io.flotilla.transport.proto.GetRequest;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.KeyNotInRange;
import io.flotilla.transport.proto.KeyValue;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.LocateRequest;
import io.flotilla.transport.proto.LocateResponse;
import io.flotilla.transport.proto.PutRequest;
import io.flotilla.transport.proto.RangeStatus;
import io.flotilla.transport.proto.ReadConsistency;
import io.flotilla.transport.proto.RequestHeader;
import io.flotilla.transport.proto.ScanRequest;
import io.flotilla.transport.proto.ScanResponse;
import io.flotilla.transport.proto.WriteResponse;
import io.flotilla.transport.raft.AddressBook;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The KV API over this node's ranges. Every request fails, if it fails, with a typed
 * {@link KvError} in its response that tells the client what to do next; a malformed one is
 * refused before anything is proposed, so it changes nothing. A header with a range id routes
 * by that range and its version (a stale version gets EpochNotMatch with the current
 * descriptors); range id 0 lets this node route by key.
 */
public final class KvService extends KvGrpc.KvImplBase {
    /**
     * Limits of the KV API on top of the store's own size limits.
     *
     * @param defaultTimeout   a request's deadline when neither header nor gRPC sets one
     * @param maxTimeout       no request waits longer than this
     * @param defaultScanLimit a scan page's size when the request says 0
     * @param maxScanLimit     a larger limit is refused as invalid
     * @param maxScanBytes     a page stops once its keys and values reach this many bytes
     */
    public record Settings(Duration defaultTimeout, Duration maxTimeout, int defaultScanLimit, int maxScanLimit,
                           int maxScanBytes) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofMinutes(1), 1000, 10_000,
                4 << 20);
    }

    /** Responses up to this size are sent by the completing thread; see {@link #reply}. */
    static final int INLINE_REPLY_BYTES = 64 << 10;

    private final StoreNode store;
    private final AddressBook book;
    private final RangeLoad load;
    private final ClusterSurvey survey;
    private final Executor responses;
    private final Settings settings;
    private final Logger log;

    public KvService(StoreNode store, AddressBook book, RangeLoad load, ClusterSurvey survey, Executor responses,
                     Settings settings, Logger log) {
        this.store = store;
        this.book = book;
        this.load = load;
        this.survey = survey;
        this.responses = responses;
        this.settings = settings;
        this.log = log;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public void get(GetRequest req, StreamObserver<GetResponse> out) {
        long timeout = timeout(req.getHeader());
        CompletableFuture<GetResponse> f;
        try {
            byte[] key = req.getKey().toByteArray();
            long rangeId = route(req.getHeader(), key).descriptor().rangeId();
            f = store.get(key, mode(req.getConsistency())).thenApply(v -> {
                load.read(rangeId);
                GetResponse.Builder b = GetResponse.newBuilder().setFound(v != null);
                if (v != null) {
                    b.setValue(ByteString.copyFrom(v));
                }
                return b.build();
            });
        } catch (RangeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        reply(f, timeout, out, e -> GetResponse.newBuilder().setError(e).build());
    }

    @Override
    public void scan(ScanRequest req, StreamObserver<ScanResponse> out) {
        long timeout = timeout(req.getHeader());
        CompletableFuture<ScanResponse> f;
        try {
            byte[] start = req.getStartKey().toByteArray();
            byte[] end = req.getEndKey().toByteArray();
            int limit = req.getLimit() == 0 ? settings.defaultScanLimit() : req.getLimit();
            if (limit < 0 || limit > settings.maxScanLimit()) {
                throw new RangeException.InvalidArgument("scan limit " + Integer.toUnsignedString(req.getLimit())
                        + " is above the maximum of " + settings.maxScanLimit());
            }
            RangeStateMachine sm = route(req.getHeader(), start);
            f = store.scan(start, end, limit, mode(req.getConsistency())).thenApply(rows -> {
                load.read(sm.descriptor().rangeId());
                return page(rows, limit, end, sm.descriptor());
            });
        } catch (RangeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        reply(f, timeout, out, e -> ScanResponse.newBuilder().setError(e).build());
    }

    /**
     * A page of at most {@code limit} pairs and {@code maxScanBytes} bytes. It resumes right after
     * its last key when it is full (more may follow in this range), else at the range's end,
     * unless that already covers the request or is the end of the key space.
     */
    private ScanResponse page(List<byte[][]> rows, int limit, byte[] end, RangeDescriptor range) {
        ScanResponse.Builder b = ScanResponse.newBuilder();
        long bytes = 0;
        byte[] last = null;
        boolean full = rows.size() >= limit;
        for (byte[][] kv : rows) {
            if (last != null && bytes + kv[0].length + kv[1].length > settings.maxScanBytes()) {
                full = true;
                break;
            }
            b.addKvs(KeyValue.newBuilder().setKey(ByteString.copyFrom(kv[0])).setValue(ByteString.copyFrom(kv[1])));
            bytes += kv[0].length + kv[1].length;
            last = kv[0];
        }
        byte[] resume;
        if (full && last != null) {
            resume = successor(last);
        } else {
            resume = range.endKey();
            // A split applied during the read shrinks the range below what was read: never resume
            // before a key already returned.
            if (last != null && resume.length > 0 && Arrays.compareUnsigned(resume, last) <= 0) {
                resume = successor(last);
            }
        }
        if (resume.length > 0 && !(end.length > 0 && Arrays.compareUnsigned(resume, end) >= 0)) {
            b.setResumeKey(ByteString.copyFrom(resume));
        }
        return b.build();
    }

    /** The first key after {@code key} in byte order. */
    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void put(PutRequest req, StreamObserver<WriteResponse> out) {
        long timeout = timeout(req.getHeader());
        CompletableFuture<WriteResponse> f = write(req.getHeader(),
                () -> List.of(new KvOp.Put(req.getKey().toByteArray(), req.getValue().toByteArray())))
                .thenApply(r -> WriteResponse.newBuilder().setIndex(r.index()).build());
        reply(f, timeout, out, e -> WriteResponse.newBuilder().setError(e).build());
    }

    @Override
    public void delete(DeleteRequest req, StreamObserver<WriteResponse> out) {
        long timeout = timeout(req.getHeader());
        CompletableFuture<WriteResponse> f = write(req.getHeader(),
                () -> List.of(new KvOp.Delete(req.getKey().toByteArray())))
                .thenApply(r -> WriteResponse.newBuilder().setIndex(r.index()).build());
        reply(f, timeout, out, e -> WriteResponse.newBuilder().setError(e).build());
    }

    @Override
    public void compareAndSet(CompareAndSetRequest req, StreamObserver<CompareAndSetResponse> out) {
        long timeout = timeout(req.getHeader());
        CompletableFuture<CompareAndSetResponse> f = write(req.getHeader(), () -> List.of(compareAndSet(req)))
                .thenApply(r -> {
                    CompareAndSetResponse.Builder b = CompareAndSetResponse.newBuilder().setSucceeded(r.applied())
                            .setIndex(r.index());
                    if (!r.applied() && r.actual() != null) {
                        b.setFound(true).setActual(ByteString.copyFrom(r.actual()));
                    }
                    return b.build();
                });
        reply(f, timeout, out, e -> CompareAndSetResponse.newBuilder().setError(e).build());
    }

    @Override
    public void batch(BatchRequest req, StreamObserver<BatchResponse> out) {
        long timeout = timeout(req.getHeader());
        CompletableFuture<BatchResponse> f = write(req.getHeader(), () -> ops(req)).thenApply(r -> {
            BatchResponse.Builder b = BatchResponse.newBuilder().setSucceeded(r.applied()).setIndex(r.index());
            if (!r.applied() && r.actual() != null) {
                b.setFound(true).setActual(ByteString.copyFrom(r.actual()));
            }
            return b.build();
        });
        reply(f, timeout, out, e -> BatchResponse.newBuilder().setError(e).build());
    }

    private static KvOp compareAndSet(CompareAndSetRequest c) {
        return new KvOp.CompareAndSet(c.getKey().toByteArray(), c.getExpectAbsent() ? null : c.getExpected().toByteArray(),
                c.getDelete() ? null : c.getValue().toByteArray());
    }

    private List<KvOp> ops(BatchRequest req) {
        if (req.getOpsCount() > store.limits().maxBatchOps()) {
            throw new RangeException.ResourceExhausted(req.getOpsCount() + " operations in one batch; the limit is "
                    + store.limits().maxBatchOps());
        }
        List<KvOp> ops = new ArrayList<>(req.getOpsCount());
        for (BatchOp op : req.getOpsList()) {
            switch (op.getOpCase()) {
                case PUT -> ops.add(new KvOp.Put(op.getPut().getKey().toByteArray(), op.getPut().getValue().toByteArray()));
                case DELETE -> ops.add(new KvOp.Delete(op.getDelete().getKey().toByteArray()));
                case DELETE_RANGE -> {
                    byte[] s = op.getDeleteRange().getStartKey().toByteArray();
                    byte[] e = op.getDeleteRange().getEndKey().toByteArray();
                    if (e.length > 0 && Arrays.compareUnsigned(e, s) <= 0) {
                        throw new RangeException.InvalidArgument("a range delete's end must lie after its start");
                    }
                    ops.add(new KvOp.DeleteRange(s, e));
                }
                case COMPARE_AND_SET -> ops.add(compareAndSet(op.getCompareAndSet()));
                default -> throw new RangeException.InvalidArgument("batch operation " + ops.size() + " is empty");
            }
        }
        return ops;
    }

    /** A write routed by the header: by range and version if it names a range, else by key. */
    private CompletableFuture<ApplyResult> write(RequestHeader h, java.util.function.Supplier<List<KvOp>> build) {
        List<KvOp> ops;
        try {
            if (h.getClientId() != 0 && h.getSeq() == 0) {
                throw new RangeException.InvalidArgument("a request with a client id needs a sequence number above 0");
            }
            ops = build.get();
        } catch (RangeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ApplyResult> f = h.getRangeId() != 0
                ? store.write(h.getRangeId(), h.getRangeVersion(), h.getClientId(), h.getSeq(), ops)
                : store.write(h.getClientId(), h.getSeq(), ops);
        return f.thenApply(r -> {
            long rangeId = h.getRangeId() != 0 ? h.getRangeId() : rangeOf(ops.get(0).key());
            if (rangeId != 0) {
                load.write(rangeId);
            }
            return r;
        });
    }

    private long rangeOf(byte[] key) {
        try {
            return store.rangeFor(key).descriptor().rangeId();
        } catch (RangeException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- locate

    @Override
    public void locate(LocateRequest req, StreamObserver<LocateResponse> out) {
        long timeout = RequestDeadline.millis(0, settings.defaultTimeout(), settings.maxTimeout());
        byte[] key = req.getKey().toByteArray();
        CompletableFuture<LocateResponse> f;
        if (key.length > store.limits().maxKeyBytes()) {
            f = CompletableFuture.failedFuture(new RangeException.ResourceExhausted("key of " + key.length
                    + " bytes; the limit is " + store.limits().maxKeyBytes()));
        } else {
            LocateResponse local = locateHere(key);
            f = local != null ? CompletableFuture.completedFuture(local)
                    : survey.take(Duration.ofMillis(Math.max(1, timeout - 50))).thenApply(s -> locateIn(s, key));
        }
        reply(f, timeout, out, e -> LocateResponse.newBuilder().setError(e).build());
    }

    /** This node's answer if it holds the key's range and knows its leader; else null. */
    private LocateResponse locateHere(byte[] key) {
        RangeStateMachine sm;
        try {
            sm = store.rangeFor(key);
        } catch (RangeException e) {
            return null;
        }
        RangeDescriptor d = sm.descriptor();
        NodeEngine.GroupInfo info = store.engine().info(d.rangeId());
        if (info == null || info.leaderNode() == 0) {
            return null;
        }
        return located(ProtoConvert.toProto(d), info.leaderNode());
    }

    private LocateResponse locateIn(ClusterSurvey.Survey s, byte[] key) {
        for (RangeStatus r : RangeTable.merge(s.reports())) {
            if (ProtoConvert.fromProto(r.getRange()).contains(key)) {
                return located(r.getRange(), r.getLeaderNodeId());
            }
        }
        return LocateResponse.newBuilder().setError(KvError.newBuilder()
                .setMessage("no node reported a range holding the key")
                .setKeyNotInRange(KeyNotInRange.newBuilder().setKey(ByteString.copyFrom(key)))).build();
    }

    private LocateResponse located(io.flotilla.transport.proto.RangeDescriptor d, long leader) {
        LocateResponse.Builder b = LocateResponse.newBuilder().setRange(d).setLeaderNodeId(leader);
        String address = leader == 0 ? null : book.get(leader);
        if (address != null) {
            b.setLeaderAddress(address);
        }
        return b.build();
    }

    // ---------------------------------------------------------------- plumbing

    /** The range the request goes to: the header's, at the header's version, holding the key; or the key's. */
    private RangeStateMachine route(RequestHeader h, byte[] key) {
        if (key.length > store.limits().maxKeyBytes()) {
            throw new RangeException.ResourceExhausted("key of " + key.length + " bytes; the limit is "
                    + store.limits().maxKeyBytes());
        }
        if (h.getRangeId() == 0) {
            return store.rangeFor(key);
        }
        RangeStateMachine sm = store.checkEpoch(h.getRangeId(), h.getRangeVersion());
        if (!sm.descriptor().contains(key)) {
            throw new RangeException.KeyNotInRange(key, sm.descriptor());
        }
        return sm;
    }

    private static ReadMode mode(ReadConsistency c) {
        return switch (c) {
            case LINEARIZABLE -> ReadMode.LINEARIZABLE;
            case LEASE -> ReadMode.LEASE;
            default -> throw new RangeException.InvalidArgument("unknown read consistency " + c);
        };
    }

    private long timeout(RequestHeader h) {
        return RequestDeadline.millis(h.getTimeoutMs(), settings.defaultTimeout(), settings.maxTimeout());
    }

    /**
     * Completes the call once {@code f} does, or with Timeout once {@code timeoutMs} passed; a
     * failure becomes the typed error in the response.
     *
     * <p>A small response is sent by the thread that completed {@code f} (usually the engine
     * worker that applied the entry): handing it to another thread first cost every request a
     * thread wake-up, which on a loaded two-core host is often a lost time slice. gRPC only
     * serializes and queues it here, it never blocks. A large one (a scan page, a big value) is
     * serialized off the engine's threads, on {@code responses}.</p>
     */
    private <T> void reply(CompletableFuture<T> f, long timeoutMs, StreamObserver<T> out,
                           Function<KvError, T> withError) {
        f.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, err) -> {
            T response = r;
            if (err != null) {
                KvError e = ProtoConvert.toKvError(err, book);
                if (e == null) {
                    Throwable cause = ProtoConvert.unwrap(err);
                    log.warn("KV request failed unexpectedly", cause);
                    safely(() -> out.onError(Status.INTERNAL.withDescription(String.valueOf(cause))
                            .asRuntimeException()));
                    return;
                }
                if (e.hasTimeout()) {
                    e = e.toBuilder().setMessage("timed out after " + timeoutMs + " ms").build();
                }
                response = withError.apply(e);
            }
            T done = response;
            Runnable send = () -> safely(() -> {
                out.onNext(done);
                out.onCompleted();
            });
            if (isSmall(done)) {
                send.run();
            } else {
                try {
                    responses.execute(send);
                } catch (RejectedExecutionException stopping) {
                    send.run(); // the node is closing: answer rather than leave the call hanging
                }
            }
        });
    }

    /** Whether a response is cheap enough to serialize on whatever thread completed it. */
    private static boolean isSmall(Object response) {
        return !(response instanceof MessageLite m) || m.getSerializedSize() <= INLINE_REPLY_BYTES;
    }

    /** The client may have given up (cancelled, deadline passed): then there is nobody to answer. */
    private static void safely(Runnable send) {
        try {
            send.run();
        } catch (RuntimeException ignored) {
            // the call is already closed
        }
    }
}
