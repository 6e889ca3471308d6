package io.flotilla.store.server;

import io.flotilla.store.range.RangeDescriptor;
import io.flotilla.store.range.RangeException;
import io.flotilla.store.range.ReplicaDescriptor;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.raft.AddressBook;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** Our types on the wire, and each failure as the typed error a client acts on. */
class ProtoConvertTest {
    private static final RangeDescriptor D = new RangeDescriptor(5, "a".getBytes(StandardCharsets.UTF_8), new byte[0],
            List.of(new ReplicaDescriptor(1, 1, false), new ReplicaDescriptor(4, 9, true)), 3, 7);

    @Test
    void aDescriptorSurvivesTheWire() {
        assertThat(ProtoConvert.fromProto(ProtoConvert.toProto(D))).isEqualTo(D);
    }

    @Test
    void everyRangeExceptionMapsToItsKind() {
        AddressBook book = new AddressBook();
        book.put(2, "127.0.0.1:7002");
        KvError nl = ProtoConvert.toKvError(new CompletionException(new RangeException.NotLeader(5, 2)), book);
        assertThat(nl.getNotLeader().getLeaderNodeId()).isEqualTo(2);
        assertThat(nl.getNotLeader().getLeaderAddress()).isEqualTo("127.0.0.1:7002");
        assertThat(ProtoConvert.toKvError(new RangeException.NotLeader(5, 0), book).getNotLeader().getLeaderAddress())
                .isEmpty();
        assertThat(ProtoConvert.toKvError(new RangeException.RangeNotFound(5), book).getRangeNotFound().getRangeId())
                .isEqualTo(5);
        assertThat(ProtoConvert.toKvError(new RangeException.EpochNotMatch("x", List.of(D)), book).getEpochNotMatch()
                .getCurrent(0).getRangeId()).isEqualTo(5);
        KvError k = ProtoConvert.toKvError(new RangeException.KeyNotInRange("z".getBytes(StandardCharsets.UTF_8), D), book);
        assertThat(k.getKeyNotInRange().getKey().toStringUtf8()).isEqualTo("z");
        assertThat(k.getKeyNotInRange().getRange().getRangeId()).isEqualTo(5);
        assertThat(ProtoConvert.toKvError(new RangeException.ProposalDropped("x"), book).hasProposalDropped()).isTrue();
        assertThat(ProtoConvert.toKvError(new RangeException.Timeout("x"), book).hasTimeout()).isTrue();
        assertThat(ProtoConvert.toKvError(new RangeException.InvalidArgument("x"), book).hasInvalidArgument()).isTrue();
        assertThat(ProtoConvert.toKvError(new RangeException.ResourceExhausted("x"), book).hasResourceExhausted())
                .isTrue();
        assertThat(ProtoConvert.toKvError(new TimeoutException(), book).hasTimeout()).as("a passed deadline").isTrue();
        assertThat(ProtoConvert.toKvError(new IllegalStateException("bug"), book)).as("no advice for a bug").isNull();
    }
}
