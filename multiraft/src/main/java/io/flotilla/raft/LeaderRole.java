package io.flotilla.raft;

import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.quorum.VoteLookup;
import io.flotilla.raft.quorum.VoteResult;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressState;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A leader: replicates, commits, confirms reads and hands leadership over on request
 * (Raft paper §5.3, §5.4; thesis §3.10, §6.4).
 */
final class LeaderRole implements RoleBehavior {
    static final LeaderRole INSTANCE = new LeaderRole();

    @Override
    public StateRole role() {
        return StateRole.LEADER;
    }

    @Override
    public void tick(Raft r) {
        r.tickHeartbeat();
    }

    @Override
    public void step(Raft r, Message m) {
        switch (m.type()) {
            case BEAT -> {
                r.broadcastHeartbeat();
                return;
            }
            case CHECK_QUORUM -> {
                checkQuorum(r);
                return;
            }
            case PROPOSE -> {
                propose(r, m);
                return;
            }
            case READ_INDEX -> {
                readIndex(r, m);
                return;
            }
            default -> { }
        }
        Progress p = r.tracker().get(m.from());
        if (p == null) {
            return; // not a member (any more)
        }
        switch (m.type()) {
            case APPEND_RESPONSE -> appendResponse(r, m, p);
            case HEARTBEAT_RESPONSE -> heartbeatResponse(r, m, p);
            case SNAPSHOT_STATUS -> {
                if (p.state() != ProgressState.SNAPSHOT) {
                    return;
                }
                boolean failed = m.reject();
                p.becomeProbe();
                if (failed) {
                    // Wait for the next heartbeat answer before trying again.
                    p.pauseProbe();
                }
            }
            case UNREACHABLE -> {
                // Optimistic pipelining to an unreachable peer is wasted: probe instead.
                if (p.state() == ProgressState.REPLICATE) {
                    p.becomeProbe();
                }
            }
            case TRANSFER_LEADER -> transferLeader(r, m, p);
            default -> { }
        }
    }

    private void checkQuorum(Raft r) {
        if (!r.tracker().quorumActive(r.id())) {
            // Lost contact with a quorum for an election timeout: stop acting as leader (thesis §6.2).
            r.becomeFollower(r.term(), 0);
        }
        r.tracker().forEach((pid, p) -> p.setRecentActive(pid == r.id()));
    }

    private void propose(Raft r, Message m) {
        if (m.entries().isEmpty()) {
            throw new IllegalArgumentException("proposal without entries");
        }
        if (!r.isVoter()) {
            drop(r, m, ProposalDroppedException.Reason.NOT_A_MEMBER, "removed from the voters, handing over");
            return;
        }
        if (r.leadTransferee() != 0) {
            drop(r, m, ProposalDroppedException.Reason.TRANSFER_IN_PROGRESS,
                    "transferring leadership to " + r.leadTransferee());
            return;
        }
        long confIndex = -1;
        for (int i = 0; i < m.entries().size(); i++) {
            Entry e = m.entries().get(i);
            if (!e.isConfChange()) {
                continue;
            }
            String refusal = confChangeRefusal(r, ConfChange.decode(e.data()), confIndex >= 0);
            if (refusal != null) {
                drop(r, m, ProposalDroppedException.Reason.CONF_CHANGE_REFUSED, refusal);
                return;
            }
            confIndex = r.log().lastIndex() + i + 1;
        }
        if (!r.appendEntries(m.entries())) {
            drop(r, m, ProposalDroppedException.Reason.UNCOMMITTED_LIMIT,
                    r.uncommittedSize() + " uncommitted bytes");
            return;
        }
        if (confIndex >= 0) {
            r.setPendingConfIndex(confIndex);
        }
        r.broadcastAppend();
    }

    /** One membership change at a time, and joint configurations entered and left in order (thesis §4.1, §4.3). */
    private String confChangeRefusal(Raft r, ConfChange cc, boolean anotherInBatch) {
        boolean joint = r.tracker().config().voters().isJoint();
        if (anotherInBatch || r.pendingConfIndex() > r.log().applied()) {
            return "a membership change is pending (index " + r.pendingConfIndex() + ", applied " + r.log().applied()
                    + ")";
        }
        if (joint && !cc.isLeaveJoint()) {
            return "the configuration is joint: leave it first";
        }
        if (!joint && cc.isLeaveJoint()) {
            return "not in a joint configuration";
        }
        return null;
    }

    /** A local proposal gets the typed error; a forwarded one is dropped, as the network may drop it. */
    private void drop(Raft r, Message m, ProposalDroppedException.Reason reason, String detail) {
        if (m.from() == 0 || m.from() == r.id()) {
            throw new ProposalDroppedException(reason, r.lead(), detail);
        }
    }

    private void readIndex(Raft r, Message m) {
        if (!r.isVoter()) {
            return; // a leader removed from the voters is only handing over
        }
        // Until an entry of this term commits, our commit index may be behind the real one (§6.4 step 1).
        // That holds for a single voter too: when a membership change left it alone, the previous
        // leader may have committed entries it has not yet heard are committed.
        if (!r.committedEntryInCurrentTerm()) {
            r.pendingReadIndexMessages().add(m);
            return;
        }
        serveRead(r, m);
    }

    private void serveRead(Raft r, Message m) {
        if (r.tracker().isSingleVoter(r.id())) {
            // Nobody else votes: no heartbeat round is needed to confirm leadership.
            r.answerRead(m, r.log().committed());
            return;
        }
        switch (r.config().readOnlyOption()) {
            case SAFE -> {
                r.readIndexQueue().add(r.log().committed(), m);
                confirmRead(r, r.id(), m.context());
                r.requestReadRound();
            }
            case LEASE_BASED -> r.answerRead(m, r.log().committed());
        }
    }

    private void confirmRead(Raft r, long from, byte[] context) {
        Set<Long> acks = r.readIndexQueue().ack(from, context);
        if (acks == null) {
            return;
        }
        VoteResult v = r.tracker().config().voters().voteResult(
                id -> acks.contains(id) ? VoteLookup.GRANTED : VoteLookup.MISSING);
        if (v != VoteResult.WON) {
            return;
        }
        for (ReadIndexQueue.Pending p : r.readIndexQueue().releaseThrough(context)) {
            r.answerRead(p.request(), p.index());
        }
    }

    /** The commit index moved: serve reads that waited for it and tell followers. */
    void onCommitAdvanced(Raft r) {
        if (r.hasReadsWaitingForCommit() && r.committedEntryInCurrentTerm()) {
            List<Message> waiting = new ArrayList<>(r.pendingReadIndexMessages());
            r.pendingReadIndexMessages().clear();
            for (Message m : waiting) {
                serveRead(r, m);
            }
        }
        r.broadcastAppend();
    }

    private void appendResponse(Raft r, Message m, Progress p) {
        p.setRecentActive(true);
        p.heardAt(r.ticks());
        if (m.reject()) {
            long probe = m.rejectHint();
            if (m.logTerm() > 0) {
                // Skip every entry of a term the follower does not have (fast back-off).
                probe = r.log().findConflictByTerm(m.rejectHint(), m.logTerm())[0];
            }
            if (p.maybeDecreaseTo(m.index(), probe)) {
                if (p.state() == ProgressState.REPLICATE) {
                    p.becomeProbe();
                }
                r.sendAppend(m.from(), true);
            }
            return;
        }
        boolean wasPaused = p.isPaused();
        if (!p.maybeUpdate(m.index())) {
            return;
        }
        switch (p.state()) {
            case PROBE -> p.becomeReplicate();
            case SNAPSHOT -> {
                if (p.match() + 1 >= r.log().firstIndex()) {
                    p.becomeProbe();
                    p.becomeReplicate();
                }
            }
            case REPLICATE -> p.freeInflightsThrough(m.index());
        }
        if (r.maybeCommit()) {
            onCommitAdvanced(r);
        } else if (wasPaused) {
            r.sendAppend(m.from(), true);
        }
        // Fill the window while there is more to send.
        while (r.sendAppend(m.from(), false)) {
            // keep sending
        }
        if (m.from() == r.leadTransferee() && p.match() == r.log().lastIndex()) {
            // The transferee caught up: tell it to campaign now (thesis §3.10).
            r.sendTimeoutNow(m.from());
        }
    }

    private void heartbeatResponse(Raft r, Message m, Progress p) {
        p.setRecentActive(true);
        p.heardAt(r.ticks());
        p.resumeProbe();
        if (p.state() == ProgressState.REPLICATE && p.isPaused()) {
            p.freeFirstInflight();
        }
        if (p.match() < r.log().lastIndex()) {
            r.sendAppend(m.from(), true);
        }
        if (r.config().readOnlyOption() == ReadOnlyOption.SAFE && m.context().length > 0) {
            confirmRead(r, m.from(), m.context());
        }
    }

    private void transferLeader(Raft r, Message m, Progress p) {
        long transferee = m.from();
        if (p.isLearner()) {
            return; // a learner cannot lead
        }
        if (r.leadTransferee() != 0) {
            if (r.leadTransferee() == transferee) {
                return; // already under way
            }
            r.abortLeaderTransfer();
        }
        if (transferee == r.id()) {
            return; // already leader
        }
        r.startLeaderTransfer(transferee);
        if (p.match() == r.log().lastIndex()) {
            r.sendTimeoutNow(transferee);
        } else {
            r.sendAppend(transferee, true);
        }
    }
}
