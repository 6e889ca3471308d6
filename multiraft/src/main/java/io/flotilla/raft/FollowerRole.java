package io.flotilla.raft;

import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;

/** A follower: obeys the leader of its term, forwards what only a leader can do. */
final class FollowerRole implements RoleBehavior {
    static final FollowerRole INSTANCE = new FollowerRole();

    @Override
    public StateRole role() {
        return StateRole.FOLLOWER;
    }

    @Override
    public void tick(Raft r) {
        r.tickElection();
    }

    @Override
    public void step(Raft r, Message m) {
        switch (m.type()) {
            case PROPOSE -> {
                if (r.lead() == 0) {
                    throw new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER, 0,
                            "no leader at term " + r.term());
                }
                if (r.config().disableProposalForwarding()) {
                    throw new ProposalDroppedException(ProposalDroppedException.Reason.FORWARDING_DISABLED, r.lead(),
                            "forwarding is disabled");
                }
                r.send(m.toBuilder().to(r.lead()));
            }
            case APPEND -> {
                r.heardFromLeader(m.from());
                r.handleAppend(m);
            }
            case HEARTBEAT -> {
                r.heardFromLeader(m.from());
                r.handleHeartbeat(m);
            }
            case SNAPSHOT -> {
                r.heardFromLeader(m.from());
                r.handleSnapshot(m);
            }
            case TRANSFER_LEADER -> {
                if (r.lead() != 0) {
                    r.send(m.toBuilder().to(r.lead()));
                }
            }
            case TIMEOUT_NOW -> r.hup(CampaignType.TRANSFER);
            case READ_INDEX -> {
                if (r.lead() != 0) {
                    r.send(m.toBuilder().to(r.lead()));
                }
            }
            case READ_INDEX_RESPONSE -> r.addReadState(new ReadState(m.index(), m.context()));
            default -> { }
        }
    }
}
