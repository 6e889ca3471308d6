package io.flotilla.client;

import com.google.protobuf.ByteString;
import io.flotilla.client.error.FlotillaException;
import io.flotilla.client.error.KeyText;
import io.flotilla.client.kv.KvCalls;
import io.flotilla.transport.proto.DeleteRangeOp;
import io.flotilla.transport.proto.DeleteRequest;
import io.flotilla.transport.proto.PutRequest;

/**
 * One operation of an atomic batch. All keys of a batch must lie in one range. Arrays are not
 * copied; do not change them while the batch is in flight.
 */
public sealed interface BatchOp {

    /** The wire form; fails with InvalidArgument on a null key or value. */
    io.flotilla.transport.proto.BatchOp toProto();

    /** Sets {@code key} to {@code value}. */
    record Put(byte[] key, byte[] value) implements BatchOp {
        @Override
        public io.flotilla.transport.proto.BatchOp toProto() {
            return io.flotilla.transport.proto.BatchOp.newBuilder()
                    .setPut(PutRequest.newBuilder().setKey(bytes("put key", key)).setValue(bytes("put value", value)))
                    .build();
        }

        @Override
        public String toString() {
            return "Put[" + KeyText.of(key) + "]";
        }
    }

    /** Deletes {@code key} (nothing happens if it is absent). */
    record Delete(byte[] key) implements BatchOp {
        @Override
        public io.flotilla.transport.proto.BatchOp toProto() {
            return io.flotilla.transport.proto.BatchOp.newBuilder()
                    .setDelete(DeleteRequest.newBuilder().setKey(bytes("delete key", key)))
                    .build();
        }

        @Override
        public String toString() {
            return "Delete[" + KeyText.of(key) + "]";
        }
    }

    /** Deletes every key in {@code [start, end)}; a null end means the end of the key space. */
    record DeleteRange(byte[] start, byte[] endOrNull) implements BatchOp {
        @Override
        public io.flotilla.transport.proto.BatchOp toProto() {
            return io.flotilla.transport.proto.BatchOp.newBuilder()
                    .setDeleteRange(DeleteRangeOp.newBuilder()
                            .setStartKey(bytes("delete-range start", start))
                            .setEndKey(endOrNull == null ? ByteString.EMPTY : ByteString.copyFrom(endOrNull)))
                    .build();
        }

        @Override
        public String toString() {
            return "DeleteRange[" + KeyText.of(start) + ", "
                    + (endOrNull == null ? "end" : KeyText.of(endOrNull)) + ")";
        }
    }

    /**
     * Sets {@code key} to {@code newValueOrNull} (deletes it when null) if it holds
     * {@code expectedOrNull} (is absent when null); if not, the whole batch fails.
     */
    record CompareAndSet(byte[] key, byte[] expectedOrNull, byte[] newValueOrNull) implements BatchOp {
        @Override
        public io.flotilla.transport.proto.BatchOp toProto() {
            return io.flotilla.transport.proto.BatchOp.newBuilder()
                    .setCompareAndSet(KvCalls.compareAndSetRequest(bytes("compare-and-set key", key),
                            expectedOrNull == null ? null : ByteString.copyFrom(expectedOrNull),
                            newValueOrNull == null ? null : ByteString.copyFrom(newValueOrNull)))
                    .build();
        }

        @Override
        public String toString() {
            return "CompareAndSet[" + KeyText.of(key) + "]";
        }
    }

    private static ByteString bytes(String what, byte[] bytes) {
        if (bytes == null) {
            throw new FlotillaException.InvalidArgument("a batch " + what + " must not be null");
        }
        return ByteString.copyFrom(bytes);
    }
}
