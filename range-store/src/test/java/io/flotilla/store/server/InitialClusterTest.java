package io.flotilla.store.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The initial cluster string: parsed strictly, and every listed node derives the same cluster id. */
class InitialClusterTest {
    @Test
    void entriesInAnyOrderDeriveTheSameClusterId() {
        InitialCluster a = InitialCluster.parse("1=127.0.0.1:7001,2=127.0.0.1:7002,3=127.0.0.1:7003");
        InitialCluster b = InitialCluster.parse(" 3=127.0.0.1:7003, 1=127.0.0.1:7001,2=127.0.0.1:7002 ");
        assertThat(a.members()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(a.canonical()).isEqualTo(b.canonical());
        assertThat(a.derivedClusterId()).isEqualTo(b.derivedClusterId()).isPositive();
        assertThat(InitialCluster.parse("1=127.0.0.1:7001").derivedClusterId())
                .as("another cluster, another id").isNotEqualTo(a.derivedClusterId());
    }

    @Test
    void malformedEntriesAreRefusedWithTheEntryNamed() {
        assertThatThrownBy(() -> InitialCluster.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> InitialCluster.parse("1=127.0.0.1:1,127.0.0.1:2")).hasMessageContaining("127.0.0.1:2");
        assertThatThrownBy(() -> InitialCluster.parse("x=127.0.0.1:1")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> InitialCluster.parse("1=127.0.0.1:1,1=127.0.0.1:2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> InitialCluster.parse("1=127.0.0.1:99999")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> InitialCluster.parse("0=127.0.0.1:1")).hasMessageContaining("node id");
    }
}
