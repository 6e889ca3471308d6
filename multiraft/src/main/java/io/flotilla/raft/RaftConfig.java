package io.flotilla.raft;

/**
 * Every setting of one Raft replica, with its default, in one place.
 *
 * @param id                        this replica's id; positive
 * @param electionTick              ticks without hearing from a leader before campaigning; the
 *                                  actual timeout is drawn from [electionTick, 2*electionTick)
 * @param heartbeatTick             ticks between a leader's heartbeats; less than electionTick
 * @param applied                   the index the state machine has applied, on restart
 * @param maxSizePerMsg             most entry bytes in one append message
 * @param maxCommittedSizePerReady  most entry bytes handed out for applying in one Ready
 * @param maxUncommittedEntriesSize most payload bytes a leader holds uncommitted; 0 = no limit
 * @param maxInflightMsgs           most appends in flight to one follower
 * @param maxInflightBytes          most bytes in flight to one follower; 0 = no limit
 * @param checkQuorum               a leader steps down when it has not heard from a quorum for
 *                                  an election timeout, and followers keep a leader lease
 * @param preVote                   run a pre-election (Raft thesis §9.6) before raising the term
 * @param readOnlyOption            how ReadIndex confirms leadership
 * @param disableProposalForwarding followers drop proposals instead of forwarding them
 * @param priority                  election priority: a replica that may campaign will not
 *                                  grant its vote to a lower-priority candidate whose log is not
 *                                  strictly more up to date than its own (later last term, or
 *                                  the same last term and longer)
 * @param randomSeed                seeds the election timeout draw; hosts give every replica its
 *                                  own so that groups on one node do not time out in lockstep
 */
public record RaftConfig(long id, int electionTick, int heartbeatTick, long applied, long maxSizePerMsg,
                         long maxCommittedSizePerReady, long maxUncommittedEntriesSize, int maxInflightMsgs,
                         long maxInflightBytes, boolean checkQuorum, boolean preVote, ReadOnlyOption readOnlyOption,
                         boolean disableProposalForwarding, long priority, long randomSeed) {

    public RaftConfig {
        if (id <= 0) {
            throw new RaftConfigException("id must be positive, got " + id);
        }
        if (heartbeatTick <= 0) {
            throw new RaftConfigException("heartbeatTick must be positive, got " + heartbeatTick);
        }
        if (electionTick <= heartbeatTick) {
            throw new RaftConfigException("electionTick (" + electionTick + ") must be greater than heartbeatTick ("
                    + heartbeatTick + ")");
        }
        if (maxInflightMsgs <= 0) {
            throw new RaftConfigException("maxInflightMsgs must be positive, got " + maxInflightMsgs);
        }
        if (maxSizePerMsg <= 0 || maxCommittedSizePerReady <= 0) {
            throw new RaftConfigException("message and Ready size limits must be positive");
        }
        if (maxUncommittedEntriesSize < 0 || maxInflightBytes < 0 || applied < 0) {
            throw new RaftConfigException("limits and applied index must not be negative");
        }
        if (readOnlyOption == null) {
            throw new RaftConfigException("readOnlyOption must be set");
        }
        if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum) {
            throw new RaftConfigException("lease-based reads need checkQuorum: without it a deposed leader may serve"
                    + " stale reads");
        }
    }

    public static Builder builder(long id) {
        return new Builder(id);
    }

    public Builder toBuilder() {
        return new Builder(id).electionTick(electionTick).heartbeatTick(heartbeatTick).applied(applied)
                .maxSizePerMsg(maxSizePerMsg).maxCommittedSizePerReady(maxCommittedSizePerReady)
                .maxUncommittedEntriesSize(maxUncommittedEntriesSize).maxInflightMsgs(maxInflightMsgs)
                .maxInflightBytes(maxInflightBytes).checkQuorum(checkQuorum).preVote(preVote)
                .readOnlyOption(readOnlyOption).disableProposalForwarding(disableProposalForwarding)
                .priority(priority).randomSeed(randomSeed);
    }

    /** Defaults: 10/1 ticks, 1 MiB messages, 256 inflight, check-quorum and pre-vote on. */
    public static final class Builder {
        private final long id;
        private int electionTick = 10;
        private int heartbeatTick = 1;
        private long applied;
        private long maxSizePerMsg = 1 << 20;
        private long maxCommittedSizePerReady = 64L << 20;
        private long maxUncommittedEntriesSize;
        private int maxInflightMsgs = 256;
        private long maxInflightBytes;
        private boolean checkQuorum = true;
        private boolean preVote = true;
        private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
        private boolean disableProposalForwarding;
        private long priority;
        private long randomSeed;

        private Builder(long id) {
            this.id = id;
            this.randomSeed = id;
        }

        public Builder electionTick(int v) { electionTick = v; return this; }
        public Builder heartbeatTick(int v) { heartbeatTick = v; return this; }
        public Builder applied(long v) { applied = v; return this; }
        public Builder maxSizePerMsg(long v) { maxSizePerMsg = v; return this; }
        public Builder maxCommittedSizePerReady(long v) { maxCommittedSizePerReady = v; return this; }
        public Builder maxUncommittedEntriesSize(long v) { maxUncommittedEntriesSize = v; return this; }
        public Builder maxInflightMsgs(int v) { maxInflightMsgs = v; return this; }
        public Builder maxInflightBytes(long v) { maxInflightBytes = v; return this; }
        public Builder checkQuorum(boolean v) { checkQuorum = v; return this; }
        public Builder preVote(boolean v) { preVote = v; return this; }
        public Builder readOnlyOption(ReadOnlyOption v) { readOnlyOption = v; return this; }
        public Builder disableProposalForwarding(boolean v) { disableProposalForwarding = v; return this; }
        public Builder priority(long v) { priority = v; return this; }
        public Builder randomSeed(long v) { randomSeed = v; return this; }

        public RaftConfig build() {
            return new RaftConfig(id, electionTick, heartbeatTick, applied, maxSizePerMsg, maxCommittedSizePerReady,
                    maxUncommittedEntriesSize, maxInflightMsgs, maxInflightBytes, checkQuorum, preVote,
                    readOnlyOption, disableProposalForwarding, priority, randomSeed);
        }
    }
}
