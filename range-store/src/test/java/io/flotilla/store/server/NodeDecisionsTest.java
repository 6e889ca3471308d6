package io.flotilla.store.server;

import io.flotilla.store.range.RangeException;
import io.flotilla.transport.proto.AdminState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What operators decided about a node survives its restarts; a removed node never comes back. */
class NodeDecisionsTest {
    @TempDir
    Path dir;

    @Test
    void aFreshNodeIsActiveAndNotPaused() {
        NodeDecisions d = new NodeDecisions(new DataDir(dir));
        assertThat(d.adminState()).isEqualTo(AdminState.ADMIN_ACTIVE);
        assertThat(d.paused()).isFalse();
    }

    @Test
    void decisionsSurviveARestart() {
        NodeDecisions d = new NodeDecisions(new DataDir(dir));
        d.setAdminState(AdminState.ADMIN_DECOMMISSIONING);
        d.setPaused(true);
        NodeDecisions again = new NodeDecisions(new DataDir(dir));
        assertThat(again.adminState()).isEqualTo(AdminState.ADMIN_DECOMMISSIONING);
        assertThat(again.paused()).isTrue();
    }

    @Test
    void aRemovedNodeCannotBeMadeActiveAgainAndStaysRemoved() {
        NodeDecisions d = new NodeDecisions(new DataDir(dir));
        d.setAdminState(AdminState.ADMIN_REMOVED);
        assertThatThrownBy(() -> d.setAdminState(AdminState.ADMIN_ACTIVE))
                .isInstanceOf(RangeException.FailedPrecondition.class).hasMessageContaining("removed");
        assertThat(new NodeDecisions(new DataDir(dir)).adminState()).isEqualTo(AdminState.ADMIN_REMOVED);
    }
}
