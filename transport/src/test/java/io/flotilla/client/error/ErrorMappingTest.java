package io.flotilla.client.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.flotilla.transport.proto.EpochNotMatch;
import io.flotilla.transport.proto.InvalidArgument;
import io.flotilla.transport.proto.KeyNotInRange;
import io.flotilla.transport.proto.KvError;
import io.flotilla.transport.proto.NotLeader;
import io.flotilla.transport.proto.ProposalDropped;
import io.flotilla.transport.proto.RangeDescriptor;
import io.flotilla.transport.proto.RangeNotFound;
import io.flotilla.transport.proto.ResourceExhausted;
import io.flotilla.transport.proto.Timeout;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Rules: every KvError kind and gRPC status maps to its typed exception, keeping what the server said. */
class ErrorMappingTest {

    @Test
    void eachKvErrorKindMapsToItsException() {
        KvError.Builder base = KvError.newBuilder().setMessage("said the server");
        assertThat(ErrorMapping.fromKvError(base.clone().setNotLeader(NotLeader.newBuilder().setRangeId(4)
                .setLeaderNodeId(2).setLeaderAddress("h:2")).build()))
                .isInstanceOfSatisfying(FlotillaException.NotLeader.class, e -> {
                    assertThat(e.rangeId()).isEqualTo(4);
                    assertThat(e.leaderNodeId()).isEqualTo(2);
                    assertThat(e.leaderAddress()).isEqualTo("h:2");
                    assertThat(e).hasMessageContaining("said the server");
                });
        assertThat(ErrorMapping.fromKvError(base.clone().setEpochNotMatch(EpochNotMatch.newBuilder()
                .addCurrent(RangeDescriptor.newBuilder().setRangeId(9))).build()))
                .isInstanceOfSatisfying(FlotillaException.EpochNotMatch.class,
                        e -> assertThat(e.currentRangeIds()).containsExactly(9L));
        assertThat(ErrorMapping.fromKvError(base.clone().setRangeNotFound(RangeNotFound.newBuilder().setRangeId(5))
                .build())).isInstanceOf(FlotillaException.RangeNotFound.class);
        assertThat(ErrorMapping.fromKvError(base.clone().setKeyNotInRange(KeyNotInRange.newBuilder()
                .setKey(ByteString.copyFromUtf8("k"))).build()))
                .isInstanceOf(FlotillaException.KeyNotInRange.class).hasMessageContaining("\"k\"");
        assertThat(ErrorMapping.fromKvError(base.clone().setProposalDropped(ProposalDropped.getDefaultInstance())
                .build())).isInstanceOf(FlotillaException.ProposalDropped.class);
        assertThat(ErrorMapping.fromKvError(base.clone().setTimeout(Timeout.getDefaultInstance()).build()))
                .isInstanceOf(FlotillaException.Timeout.class);
        assertThat(ErrorMapping.fromKvError(base.clone().setInvalidArgument(InvalidArgument.getDefaultInstance())
                .build())).isInstanceOf(FlotillaException.InvalidArgument.class).matches(e -> !e.isTransient());
        assertThat(ErrorMapping.fromKvError(base.clone().setResourceExhausted(ResourceExhausted.getDefaultInstance())
                .build())).isInstanceOf(FlotillaException.ResourceExhausted.class);
        assertThat(ErrorMapping.fromKvError(base.clone().build()))
                .isInstanceOf(FlotillaException.RpcFailed.class).hasMessageContaining("no known kind");
    }

    @Test
    void grpcStatusesMapToNodeUnavailableOrTheirKind() {
        assertThat(ErrorMapping.fromTransport("Get", "h:1", Status.UNAVAILABLE.asRuntimeException()))
                .isInstanceOfSatisfying(FlotillaException.NodeUnavailable.class,
                        e -> assertThat(e.address()).isEqualTo("h:1"));
        assertThat(ErrorMapping.fromTransport("Get", "h:1", Status.DEADLINE_EXCEEDED.asRuntimeException()))
                .isInstanceOf(FlotillaException.NodeUnavailable.class);
        assertThat(ErrorMapping.fromTransport("Get", "h:1", Status.RESOURCE_EXHAUSTED
                .withDescription("message too large").asRuntimeException()))
                .isInstanceOf(FlotillaException.ResourceExhausted.class).hasMessageContaining("message too large");
        assertThat(ErrorMapping.fromTransport("Get", "h:1", Status.UNIMPLEMENTED.asRuntimeException()))
                .isInstanceOf(FlotillaException.RpcFailed.class).hasMessageContaining("UNIMPLEMENTED");
        assertThat(ErrorMapping.nodeUnreachable(Status.UNAVAILABLE.asRuntimeException())).isTrue();
        assertThat(ErrorMapping.nodeUnreachable(Status.INTERNAL.asRuntimeException())).isFalse();
        // A node killed mid-call: its connection closes under the call.
        assertThat(ErrorMapping.nodeUnreachable(Status.UNKNOWN.withDescription("channel closed").asRuntimeException()))
                .isTrue();
    }
}
