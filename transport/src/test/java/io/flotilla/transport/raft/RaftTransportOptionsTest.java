package io.flotilla.transport.raft;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RaftTransportOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        RaftTransportOptions o = RaftTransportOptions.defaults();
        assertThat(o.snapshotChunkBytes()).isEqualTo(1 << 20);
        assertThat(o.backoffMin()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.backoffMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxInboundMessageBytes()).isEqualTo(16 << 20);
        assertThat(o.maxEnvelopeBytes()).as("under gRPC's default 4 MiB limit").isLessThan(4 << 20);
    }

    @Test
    void withersChangeOnlyTheirField() {
        RaftTransportOptions o = RaftTransportOptions.defaults().withQueueBound(7, 64L << 20);
        assertThat(o.maxQueuedEnvelopes()).isEqualTo(7);
        assertThat(o.maxQueuedBytes()).isEqualTo(64L << 20);
        assertThat(o.withQueueBound(1024, 32L << 20)).isEqualTo(RaftTransportOptions.defaults());
    }

    @Test
    void inconsistentSettingsAreRefusedWithTheReason() {
        RaftTransportOptions d = RaftTransportOptions.defaults();
        assertThatThrownBy(() -> d.withQueueBound(0, 1 << 30)).hasMessageContaining("maxQueuedEnvelopes=0");
        assertThatThrownBy(() -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("backoffMin <= backoffMax");
        assertThatThrownBy(() -> d.withMaxEnvelopeBytes(16 << 20)).hasMessageContaining("under maxInboundMessageBytes");
        assertThatThrownBy(() -> d.withQueueBound(10, 1 << 20)).hasMessageContaining("at least one envelope");
        assertThatThrownBy(() -> d.withMaxSnapshotBytes(4L << 30)).hasMessageContaining("at most");
        assertThatThrownBy(() -> d.withSnapshotTimeout(Duration.ZERO)).hasMessageContaining("positive");
    }
}
