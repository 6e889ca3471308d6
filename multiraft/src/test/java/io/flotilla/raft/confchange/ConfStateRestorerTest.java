package io.flotilla.raft.confchange;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.quorum.MajorityConfig;
import io.flotilla.raft.tracker.ProgressTracker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Restoring a persisted configuration, by example. */
class ConfStateRestorerTest {

    @Test
    @DisplayName("a joint configuration with learners and learnersNext is rebuilt as it was persisted")
    void restoresJoint() {
        ConfState cs = new ConfState(List.of(1L, 2L, 4L), List.of(5L), List.of(1L, 2L, 3L), List.of(3L), true);
        ProgressTracker t = new ProgressTracker(4, 0);
        ConfStateRestorer.restore(t, cs, 30);
        assertThat(t.config().voters().incoming()).isEqualTo(MajorityConfig.of(1, 2, 4));
        assertThat(t.config().voters().outgoing()).isEqualTo(MajorityConfig.of(1, 2, 3));
        assertThat(t.config().learners()).containsExactly(5L);
        assertThat(t.config().learnersNext()).containsExactly(3L);
        assertThat(t.config().autoLeave()).isTrue();
        assertThat(t.config().toConfState()).isEqualTo(cs);
        assertThat(t.progress()).containsOnlyKeys(1L, 2L, 3L, 4L, 5L);
        assertThat(t.get(4).next()).isEqualTo(31);
        assertThat(t.get(5).isLearner()).isTrue();
        assertThat(t.get(3).isLearner()).as("votes in the outgoing half until the joint phase ends").isFalse();
    }

    @Test
    @DisplayName("a simple configuration is rebuilt; the empty one restores to nothing")
    void restoresSimpleAndEmpty() {
        ProgressTracker t = new ProgressTracker(4, 0);
        ConfStateRestorer.restore(t, ConfState.ofVoters(3, 1, 2), 0);
        assertThat(t.config().voters().incoming()).isEqualTo(MajorityConfig.of(1, 2, 3));
        assertThat(t.config().voters().isJoint()).isFalse();
        assertThat(t.progress()).containsOnlyKeys(1L, 2L, 3L);

        ProgressTracker empty = new ProgressTracker(4, 0);
        ConfStateRestorer.restore(empty, ConfState.EMPTY, 0);
        assertThat(empty.config().members()).isEmpty();
        assertThat(empty.progress()).isEmpty();
    }
}
