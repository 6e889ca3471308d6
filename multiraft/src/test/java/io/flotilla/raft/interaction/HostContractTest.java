package io.flotilla.raft.interaction;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness refuses to act as a host that breaks the core's contract, rather than hide it. */
class HostContractTest {
    @Test
    @DisplayName("a joiner fed from a log that lacks the bootstrap configuration is caught as a host error")
    void joinerWithoutBootstrapConfigurationIsAHostError() {
        Commands c = new Commands();
        c.run("add-nodes 3");
        c.run("campaign 1");
        c.run("stabilize");
        c.run("add-nodes 1");
        c.run("propose-conf-change 1 v4");
        // With an index-0 bootstrap, entries from index 1 reach 4 but the configuration (1 2 3)
        // does not: applying v4 would make 4 a group of one.
        assertThatThrownBy(() -> c.run("stabilize")).isInstanceOf(ScriptException.class)
                .hasMessageContaining("node 4 applies v4");
    }
}
