package io.flotilla.raft.rules;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.RaftConfigException;
import io.flotilla.raft.ReadOnlyOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A configuration that cannot work is refused up front with a typed error naming the setting. */
class RaftConfigValidationTest {

    record Case(String name, UnaryOperator<RaftConfig.Builder> change, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("heartbeatTick 0", b -> b.heartbeatTick(0), "heartbeatTick"),
                new Case("electionTick == heartbeatTick", b -> b.electionTick(3).heartbeatTick(3), "electionTick"),
                new Case("electionTick < heartbeatTick", b -> b.electionTick(2).heartbeatTick(5), "electionTick"),
                new Case("maxInflightMsgs 0", b -> b.maxInflightMsgs(0), "maxInflightMsgs"),
                new Case("maxSizePerMsg 0", b -> b.maxSizePerMsg(0), "size limits"),
                new Case("maxCommittedSizePerReady 0", b -> b.maxCommittedSizePerReady(0), "size limits"),
                new Case("negative maxUncommittedEntriesSize", b -> b.maxUncommittedEntriesSize(-1), "negative"),
                new Case("negative maxInflightBytes", b -> b.maxInflightBytes(-1), "negative"),
                new Case("negative applied", b -> b.applied(-1), "negative"),
                new Case("no readOnlyOption", b -> b.readOnlyOption(null), "readOnlyOption"),
                new Case("lease reads without checkQuorum",
                        b -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED).checkQuorum(false), "checkQuorum"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("invalid")
    void invalidSettingIsRefusedWithTypedError(Case c) {
        RaftConfig.Builder b = c.change().apply(RaftConfig.builder(1));
        assertThatThrownBy(b::build).isInstanceOf(RaftConfigException.class).hasMessageContaining(c.mentions());
    }

    @ParameterizedTest(name = "id {0} is refused")
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void nonPositiveIdIsRefused(long id) {
        assertThatThrownBy(() -> RaftConfig.builder(id).build()).isInstanceOf(RaftConfigException.class)
                .hasMessageContaining("id");
    }

    @Test
    @DisplayName("defaults are valid: 10/1 ticks, check-quorum and pre-vote on, safe reads")
    void defaultsAreValid() {
        RaftConfig c = RaftConfig.builder(7).build();
        assertThat(c.id()).isEqualTo(7);
        assertThat(c.electionTick()).isEqualTo(10);
        assertThat(c.heartbeatTick()).isEqualTo(1);
        assertThat(c.checkQuorum()).isTrue();
        assertThat(c.preVote()).isTrue();
        assertThat(c.readOnlyOption()).isEqualTo(ReadOnlyOption.SAFE);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    @DisplayName("lease-based reads are accepted together with checkQuorum")
    void leaseReadsWithCheckQuorumAreValid() {
        RaftConfig c = RaftConfig.builder(1).readOnlyOption(ReadOnlyOption.LEASE_BASED).checkQuorum(true).build();
        assertThat(c.readOnlyOption()).isEqualTo(ReadOnlyOption.LEASE_BASED);
    }
}
