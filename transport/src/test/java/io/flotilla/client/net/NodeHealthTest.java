package io.flotilla.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Rules: suspects are passed over while others remain, get another chance after their period,
 * and never block a choice.
 */
class NodeHealthTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final NodeHealth health = new NodeHealth(100, now::get);

    @Test
    void aSuspectIsPassedOverWhileAHealthyNodeRemains() {
        health.markSuspect("a");
        for (int i = 0; i < 10; i++) {
            assertThat(health.choose(List.of("a", "b", "c"), null)).isNotEqualTo(java.util.Optional.of("a"));
        }
    }

    @Test
    void suspicionEndsAfterItsPeriod() {
        health.markSuspect("a");
        assertThat(health.isSuspect("a")).isTrue();
        now.addAndGet(101);
        assertThat(health.isSuspect("a")).isFalse();
        assertThat(health.wasMarked("a")).isTrue();
        assertThat(health.markHealthy("a")).isTrue();
        assertThat(health.wasMarked("a")).isFalse();
    }

    @Test
    void whenAllAreSuspectTheOneWhoseMarkEndsFirstIsTried() {
        health.markSuspect("a");
        now.addAndGet(10);
        health.markSuspect("b");
        assertThat(health.choose(List.of("b", "a"), null)).hasValue("a");
    }

    @Test
    void theAvoidedNodeIsChosenOnlyWhenNoOtherHealthyNodeExists() {
        for (int i = 0; i < 10; i++) {
            assertThat(health.choose(List.of("a", "b"), "a")).hasValue("b");
        }
        health.markSuspect("b");
        assertThat(health.choose(List.of("a", "b"), "a")).hasValue("a");
    }

    @Test
    void choicesRotateOverHealthyNodes() {
        java.util.Set<String> chosen = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            chosen.add(health.choose(List.of("a", "b", "c"), null).orElseThrow());
        }
        assertThat(chosen).containsExactlyInAnyOrder("a", "b", "c");
    }
}
