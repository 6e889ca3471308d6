package io.flotilla.raft.interaction;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.ReadOnlyOption;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns {@code add-nodes} options into a {@link RaftConfig}. Options not given keep the core's
 * defaults (pre-vote and check-quorum on, election 10 ticks, heartbeat 1); the seed of the
 * election timeout is the node id, so runs are reproducible.
 */
final class NodeOptions {
    static final String[] KEYS = {"pre-vote", "check-quorum", "election-tick", "heartbeat-tick", "priority",
        "read-only", "max-inflight", "max-inflight-bytes", "max-size-per-msg", "max-uncommitted-size",
        "disable-forwarding", "learners", "index"};

    private NodeOptions() {
    }

    static RaftConfig config(long id, Command c) {
        RaftConfig.Builder b = RaftConfig.builder(id).randomSeed(id);
        b.preVote(c.boolOption("pre-vote", true));
        b.checkQuorum(c.boolOption("check-quorum", true));
        b.electionTick((int) c.longOption("election-tick", 10));
        b.heartbeatTick((int) c.longOption("heartbeat-tick", 1));
        b.maxInflightMsgs((int) c.longOption("max-inflight", 256));
        b.maxInflightBytes(c.longOption("max-inflight-bytes", 0));
        b.maxSizePerMsg(c.longOption("max-size-per-msg", 1 << 20));
        b.maxUncommittedEntriesSize(c.longOption("max-uncommitted-size", 0));
        b.disableProposalForwarding(c.boolOption("disable-forwarding", false));
        b.readOnlyOption(switch (c.option("read-only", "safe")) {
            case "safe" -> ReadOnlyOption.SAFE;
            case "lease" -> ReadOnlyOption.LEASE_BASED;
            default -> throw new ScriptException("read-only must be safe or lease");
        });
        b.priority(priorities(c.option("priority", "")).getOrDefault(id, 0L));
        return b.build();
    }

    /** {@code 1:5,2:1} → {1=5, 2=1}. */
    private static Map<Long, Long> priorities(String spec) {
        Map<Long, Long> out = new HashMap<>();
        if (spec.isEmpty()) {
            return out;
        }
        for (String pair : spec.split(",")) {
            String[] kv = pair.split(":");
            if (kv.length != 2) {
                throw new ScriptException("priority wants id:priority pairs, got " + pair);
            }
            out.put(Command.parseLong(kv[0], "node id"), Command.parseLong(kv[1], "priority"));
        }
        return out;
    }
}
