package io.flotilla.client.kv;

import com.google.protobuf.ByteString;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.KvGrpc;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.RequestHeader;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One KV RPC as the retry loop sees it: the key that picks its range, whether it is a write
 * (and so needs a dedup session), how to build and send the request for a given header, and how
 * to read the response's error and result. Building the request from the header on every attempt
 * lets each retry carry the range and epoch of its own routing.
 *
 * @param <Req> the request message
 * @param <Resp> the response message
 * @param <T> what the caller gets
 */
public final class KvCall<Req, Resp, T> {
    /** A {@code KvStub} method, e.g. {@code KvGrpc.KvStub::get}. */
    @FunctionalInterface
    public interface Method<Req, Resp> {
        void call(KvGrpc.KvStub stub, Req request, StreamObserver<Resp> observer);
    }

    private final String name;
    private final ByteString routingKey;
    private final boolean write;
    private final Function<RequestHeader, Req> request;
    private final Method<Req, Resp> method;
    private final Function<Resp, KvError> error;
    private final Function<Resp, T> result;
    private final Consumer<RangeDescriptor> routeCheck;

    private KvCall(String name, ByteString routingKey, boolean write, Function<RequestHeader, Req> request,
            Method<Req, Resp> method, Function<Resp, KvError> error, Function<Resp, T> result,
            Consumer<RangeDescriptor> routeCheck) {
        this.name = name;
        this.routingKey = routingKey;
        this.write = write;
        this.request = request;
        this.method = method;
        this.error = error;
        this.result = result;
        this.routeCheck = routeCheck;
    }

    /**
     * @param error returns the response's error, or null when it has none
     */
    public static <Req, Resp, T> KvCall<Req, Resp, T> read(String name, ByteString routingKey,
            Function<RequestHeader, Req> request, Method<Req, Resp> method,
            Function<Resp, KvError> error, Function<Resp, T> result) {
        return new KvCall<>(name, routingKey, false, request, method, error, result, range -> { });
    }

    public static <Req, Resp, T> KvCall<Req, Resp, T> write(String name, ByteString routingKey,
            Function<RequestHeader, Req> request, Method<Req, Resp> method,
            Function<Resp, KvError> error, Function<Resp, T> result) {
        return new KvCall<>(name, routingKey, true, request, method, error, result, range -> { });
    }

    /**
     * The same call with a check run against the range it is about to be sent to; the check
     * throws a {@code FlotillaException} to fail the call without sending it.
     */
    public KvCall<Req, Resp, T> withRouteCheck(Consumer<RangeDescriptor> check) {
        return new KvCall<>(name, routingKey, write, request, method, error, result, check);
    }

    public String name() {
        return name;
    }

    public ByteString routingKey() {
        return routingKey;
    }

    public boolean isWrite() {
        return write;
    }

    void checkRoute(RangeDescriptor range) {
        routeCheck.accept(range);
    }

    void send(KvGrpc.KvStub stub, RequestHeader header, StreamObserver<Resp> observer) {
        method.call(stub, request.apply(header), observer);
    }

    KvError error(Resp response) {
        return error.apply(response);
    }

    T result(Resp response) {
        return result.apply(response);
    }
}
