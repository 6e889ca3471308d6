package io.flotilla.client.kv;

import com.google.protobuf.ByteString;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.error.KeyText;
import io.flotilla.client.routing.RangeBounds;
import io.flotilla.transport.proto.BatchOp;
import io.flotilla.transport.proto.BatchRequest;
import io.flotilla.transport.proto.BatchResponse;
import io.flotilla.transport.proto.CompareAndSetRequest;
import io.flotilla.transport.proto.CompareAndSetResponse;
import io.flotilla.transport.proto.DeleteRequest;
import io.flotilla.transport.proto.GetRequest;
import io.flotilla.transport.proto.GetResponse;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.PutRequest;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.ReadConsistency;
import io.flotilla.transport.proto.ScanRequest;
import io.flotilla.transport.proto.ScanResponse;
import io.flotilla.transport.proto.WriteResponse;
import java.util.List;

/** The KV calls of the wire protocol, each as a {@link KvCall} yielding the raw response. */
public final class KvCalls {
    private KvCalls() {
    }

    public static KvCall<GetRequest, GetResponse, GetResponse> get(ByteString key, ReadConsistency consistency) {
        return KvCall.read("Get", key,
                header -> GetRequest.newBuilder().setHeader(header).setKey(key).setConsistency(consistency).build(),
                KvGrpc.KvStub::get, r -> r.hasError() ? r.getError() : null, r -> r);
    }

    public static KvCall<PutRequest, WriteResponse, WriteResponse> put(ByteString key, ByteString value) {
        return KvCall.write("Put", key,
                header -> PutRequest.newBuilder().setHeader(header).setKey(key).setValue(value).build(),
                KvGrpc.KvStub::put, r -> r.hasError() ? r.getError() : null, r -> r);
    }

    public static KvCall<DeleteRequest, WriteResponse, WriteResponse> delete(ByteString key) {
        return KvCall.write("Delete", key,
                header -> DeleteRequest.newBuilder().setHeader(header).setKey(key).build(),
                KvGrpc.KvStub::delete, r -> r.hasError() ? r.getError() : null, r -> r);
    }

    /** One page of a scan: the part of {@code [start, end)} inside the range holding {@code start}. */
    public static KvCall<ScanRequest, ScanResponse, ScanResponse> scanPage(ByteString start, ByteString end, int limit,
            ReadConsistency consistency) {
        return KvCall.read("Scan", start,
                header -> ScanRequest.newBuilder().setHeader(header).setStartKey(start).setEndKey(end)
                        .setLimit(limit).setConsistency(consistency).build(),
                KvGrpc.KvStub::scan, r -> r.hasError() ? r.getError() : null, r -> r);
    }

    /**
     * @param expected the value the key must hold, or null for "the key must be absent"
     * @param newValue the value to set, or null to delete the key
     */
    public static KvCall<CompareAndSetRequest, CompareAndSetResponse, CompareAndSetResponse> compareAndSet(
            ByteString key, ByteString expected, ByteString newValue) {
        return KvCall.write("CompareAndSet", key,
                header -> compareAndSetRequest(key, expected, newValue).setHeader(header).build(),
                KvGrpc.KvStub::compareAndSet, r -> r.hasError() ? r.getError() : null, r -> r);
    }

    public static CompareAndSetRequest.Builder compareAndSetRequest(ByteString key, ByteString expected,
            ByteString newValue) {
        CompareAndSetRequest.Builder request = CompareAndSetRequest.newBuilder().setKey(key);
        if (expected == null) {
            request.setExpectAbsent(true);
        } else {
            request.setExpected(expected);
        }
        if (newValue == null) {
            request.setDelete(true);
        } else {
            request.setValue(newValue);
        }
        return request;
    }

    /**
     * An atomic batch, routed by its first key. Before each send, every key is checked against
     * the range it is routed to: ranges only ever split (never merge), so keys that fall outside
     * even a cached, possibly stale range can never share one range, and the batch fails at once.
     */
    public static KvCall<BatchRequest, BatchResponse, BatchResponse> batch(List<BatchOp> ops) {
        if (ops.isEmpty()) {
            throw new FlotillaException.InvalidArgument("a batch needs at least one operation");
        }
        List<BatchOp> copy = List.copyOf(ops);
        return KvCall.write("Batch", firstKey(copy.get(0)),
                        header -> BatchRequest.newBuilder().setHeader(header).addAllOps(copy).build(),
                        KvGrpc.KvStub::batch, r -> r.hasError() ? r.getError() : null, r -> r)
                .withRouteCheck(range -> checkOneRange(copy, range));
    }

    private static ByteString firstKey(BatchOp op) {
        switch (op.getOpCase()) {
            case PUT:
                return op.getPut().getKey();
            case DELETE:
                return op.getDelete().getKey();
            case DELETE_RANGE:
                return op.getDeleteRange().getStartKey();
            case COMPARE_AND_SET:
                return op.getCompareAndSet().getKey();
            default:
                throw new FlotillaException.InvalidArgument("a batch operation has no kind set");
        }
    }

    private static void checkOneRange(List<BatchOp> ops, RangeDescriptor range) {
        for (BatchOp op : ops) {
            boolean inside;
            String what;
            if (op.getOpCase() == BatchOp.OpCase.DELETE_RANGE) {
                ByteString start = op.getDeleteRange().getStartKey();
                ByteString end = op.getDeleteRange().getEndKey();
                inside = RangeBounds.containsSpan(range, start, end);
                what = "delete-range [" + KeyText.of(start) + ", " + (end.isEmpty() ? "end" : KeyText.of(end)) + ")";
            } else {
                ByteString key = firstKey(op);
                inside = RangeBounds.contains(range, key);
                what = "key " + KeyText.of(key);
            }
            if (!inside) {
                throw new FlotillaException.InvalidArgument("a batch must lie in one range, but " + what
                        + " is outside range " + range.getRangeId() + " [" + KeyText.of(range.getStartKey()) + ", "
                        + (range.getEndKey().isEmpty() ? "end" : KeyText.of(range.getEndKey()))
                        + ") which holds its first key");
            }
        }
    }
}
