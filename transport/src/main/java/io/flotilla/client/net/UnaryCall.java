package io.flotilla.client.net;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Adapts a gRPC async unary call to a {@link CompletableFuture}. */
public final class UnaryCall {
    private UnaryCall() {
    }

    public static <Req, Resp> CompletableFuture<Resp> call(
            BiConsumer<Req, StreamObserver<Resp>> method, Req request) {
        CompletableFuture<Resp> result = new CompletableFuture<>();
        try {
            method.accept(request, new StreamObserver<>() {
                @Override
                public void onNext(Resp value) {
                    result.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                    result.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    if (!result.isDone()) {
                        result.completeExceptionally(
                                new IllegalStateException("the server completed a unary call without a response"));
                    }
                }
            });
        } catch (RuntimeException e) {
            // A shut-down channel throws rather than failing the call.
            result.completeExceptionally(e);
        }
        return result;
    }
}
