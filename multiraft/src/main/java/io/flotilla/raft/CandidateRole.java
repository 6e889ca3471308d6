package io.flotilla.raft;

import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.quorum.VoteResult;

/**
 * A candidate or pre-candidate: tallies answers to its campaign, and yields to any leader of
 * its term (Raft paper §5.2).
 */
final class CandidateRole implements RoleBehavior {
    static final CandidateRole PRE = new CandidateRole(true);
    static final CandidateRole REAL = new CandidateRole(false);

    private final boolean pre;

    private CandidateRole(boolean pre) {
        this.pre = pre;
    }

    @Override
    public StateRole role() {
        return pre ? StateRole.PRE_CANDIDATE : StateRole.CANDIDATE;
    }

    @Override
    public void tick(Raft r) {
        r.tickElection();
    }

    @Override
    public void step(Raft r, Message m) {
        MessageType myResponse = pre ? MessageType.PRE_VOTE_RESPONSE : MessageType.VOTE_RESPONSE;
        switch (m.type()) {
            case PROPOSE -> throw new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER, 0,
                    "campaigning at term " + r.term());
            case APPEND -> {
                r.becomeFollower(m.term(), m.from());
                r.handleAppend(m);
            }
            case HEARTBEAT -> {
                r.becomeFollower(m.term(), m.from());
                r.handleHeartbeat(m);
            }
            case SNAPSHOT -> {
                r.becomeFollower(m.term(), m.from());
                r.handleSnapshot(m);
            }
            default -> {
                if (m.type() == myResponse) {
                    VoteResult result = r.poll(m.from(), !m.reject());
                    if (result == VoteResult.WON) {
                        if (pre) {
                            r.campaign(CampaignType.ELECTION);
                        } else {
                            r.becomeLeader();
                            r.broadcastAppend();
                        }
                    } else if (result == VoteResult.LOST) {
                        // A pre-candidate's term is unchanged; either way it waits for a leader.
                        r.becomeFollower(r.term(), 0);
                    }
                }
                // TIMEOUT_NOW, READ_INDEX, TRANSFER_LEADER: nothing a candidate can do.
            }
        }
    }
}
