package io.flotilla.store.server;

import io.flotilla.transport.proto.AddReplicaRequest;
import io.flotilla.transport.proto.ChangeResponse;
import io.flotilla.transport.proto.RemoveReplicaRequest;
import io.flotilla.transport.proto.Replica;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.flotilla.store.server.TestCluster.retry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica removed while its node heard nothing (the leader stops talking to a removed
 * replica) is found by the node's replica GC, which asks its peers, and destroyed.
 */
class ReplicaGcTest {
    @TempDir
    Path dir;

    @Test
    void aReplicaRemovedWhileItsNodeWasCutOffIsCollectedLater() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, TestCluster.Raft.IN_MEMORY)) {
            FlotillaNode four = cluster.join(4, 1);
            cluster.put("gc/k", "v");
            ChangeResponse added = retry(() -> cluster.admin(1).addReplica(AddReplicaRequest.newBuilder().setRangeId(1)
                    .setNodeId(4).build()), ChangeResponse::getError);
            assertThat(added.getRange().getReplicasList()).extracting(Replica::getNodeId).contains(4L);
            assertThat(four.collectRemovedReplicas()).as("a member is not collected").isEmpty();

            cluster.memory().setDown(4, true);
            ChangeResponse removed = retry(() -> cluster.admin(2).removeReplica(RemoveReplicaRequest.newBuilder()
                    .setRangeId(1).setNodeId(4).build()), ChangeResponse::getError);
            assertThat(removed.hasError()).as(removed.getError().getMessage()).isFalse();
            cluster.memory().setDown(4, false);
            assertThat(four.store().range(1)).as("node 4 never heard of its removal").isNotNull();

            assertThat(four.collectRemovedReplicas()).containsExactly(1L);
            assertThat(four.store().range(1)).isNull();
            assertThat(four.store().engine().hasGroup(1)).isFalse();
            cluster.put("gc/after", "still served");
        }
    }
}
