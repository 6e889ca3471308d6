package io.flotilla.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a group's replicas live: an immutable value, shared by every group placed alike. */
class RouteTableTest {
    @Test
    @DisplayName("answers the node of each replica, 0 for an unknown one")
    void nodeOfReplica() {
        RouteTable t = RouteTable.of(Map.of(3L, 30L, 1L, 10L, 2L, 20L));
        assertThat(t.nodeOf(1)).isEqualTo(10);
        assertThat(t.nodeOf(3)).isEqualTo(30);
        assertThat(t.nodeOf(4)).isZero();
        assertThat(t.hasReplicaOn(20)).isTrue();
        assertThat(t.hasReplicaOn(40)).isFalse();
    }

    @Test
    @DisplayName("equal tables are equal values (so a node can share one), and adding routes makes a new table")
    void valueSemantics() {
        RouteTable a = RouteTable.of(Map.of(1L, 10L, 2L, 20L));
        RouteTable b = RouteTable.of(Map.of(2L, 20L, 1L, 10L));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        RouteTable c = a.with(Map.of(4L, 40L));
        assertThat(c.nodeOf(4)).isEqualTo(40);
        assertThat(a.nodeOf(4)).as("the original is unchanged").isZero();
        assertThat(a.with(Map.of())).isSameAs(a);
    }

    @Test
    @DisplayName("a non-positive replica or node id is refused with a clear error")
    void badIdsRefused() {
        assertThatThrownBy(() -> RouteTable.of(Map.of(0L, 1L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> RouteTable.of(Map.of(1L, -1L))).isInstanceOf(IllegalArgumentException.class);
    }
}
