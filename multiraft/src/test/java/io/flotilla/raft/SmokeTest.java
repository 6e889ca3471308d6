package io.flotilla.raft;

import io.flotilla.raft.testing.TestCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void threeNodesElectReplicateAndApply() {
        TestCluster c = TestCluster.of(3);
        c.elect(1);
        c.propose(1, "a");
        c.propose(1, "b");
        c.stabilize();
        for (long id = 1; id <= 3; id++) {
            assertThat(c.node(id).appliedData()).containsExactly("a", "b");
            assertThat(c.node(id).node().raft().log().committed()).isEqualTo(3);
        }
    }

    @Test
    void singleNodeCommitsAlone() {
        TestCluster c = TestCluster.of(1);
        c.elect(1);
        c.propose(1, "x");
        c.stabilize();
        assertThat(c.node(1).appliedData()).containsExactly("x");
    }
}
