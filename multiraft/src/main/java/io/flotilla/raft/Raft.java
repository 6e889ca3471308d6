package io.flotilla.raft;

import io.flotilla.raft.confchange.ChangeResult;
import io.flotilla.raft.confchange.ConfStateRestorer;
import io.flotilla.raft.confchange.ConfigurationChanger;
import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.log.LogStorageException;
import io.flotilla.raft.log.RaftLog;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.quorum.VoteResult;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressState;
import io.flotilla.raft.tracker.ProgressTracker;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One replica of one Raft group as a deterministic state machine: no threads, clocks, I/O or
 * global randomness. Time arrives as {@link #tick()}, everything else as {@link #step}; the
 * results (messages, entries to persist, entries to apply) collect here until the host takes
 * them through {@link RawNode#ready()}.
 *
 * <p>This class holds the rules common to all roles (terms, votes, transitions, log
 * replication helpers); what differs per role lives in {@link FollowerRole},
 * {@link CandidateRole} and {@link LeaderRole}.</p>
 */
public final class Raft {
    private final long id;
    private final RaftConfig config;
    private final RaftLog log;
    private final ProgressTracker tracker;
    private final SplittableRandom random;

    private long term;
    private long vote;
    private long lead;
    private RoleBehavior behavior = FollowerRole.INSTANCE;
    private boolean learner;

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;

    private long leadTransferee;
    private long pendingConfIndex;
    private long uncommittedSize;
    private ReadIndexQueue readIndexQueue = new ReadIndexQueue();
    private final List<Message> pendingReadIndexMessages = new ArrayList<>();
    /** Reads were queued since the last heartbeat round: the next Ready sends one round for all. */
    private boolean readRoundDue;
    /** A candidate's vote for itself waits for the hard state holding it to be durable. */
    private boolean selfVotePending;

    private List<Message> messages = new ArrayList<>();
    private List<Message> messagesAfterPersist = new ArrayList<>();
    private List<ReadState> readStates = new ArrayList<>();

    public Raft(RaftConfig config, LogStorage storage) {
        this.id = config.id();
        this.config = config;
        this.log = new RaftLog(storage, config.maxCommittedSizePerReady());
        this.tracker = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
        this.random = new SplittableRandom(config.randomSeed());
        HardState hs = storage.initialHardState();
        ConfState cs = storage.initialConfState();
        ConfStateRestorer.restore(tracker, cs, log.lastIndex());
        refreshLearnerFlag();
        if (!hs.isEmpty()) {
            loadHardState(hs);
        }
        if (config.applied() > 0) {
            log.appliedTo(config.applied());
        }
        becomeFollower(term, 0);
    }

    private void loadHardState(HardState hs) {
        if (hs.commit() < log.committed() || hs.commit() > log.lastIndex()) {
            throw new IllegalStateException("persisted commit " + hs.commit() + " is out of range [" + log.committed()
                    + ", " + log.lastIndex() + "]");
        }
        log.commitTo(hs.commit());
        term = hs.term();
        vote = hs.vote();
    }

    // ---------------------------------------------------------------- accessors

    public long id() { return id; }
    public long term() { return term; }
    public long vote() { return vote; }
    public long lead() { return lead; }
    public StateRole role() { return behavior.role(); }
    public RaftConfig config() { return config; }
    public RaftLog log() { return log; }
    public ProgressTracker tracker() { return tracker; }
    public long leadTransferee() { return leadTransferee; }
    public boolean isLearner() { return learner; }
    public int electionElapsed() { return electionElapsed; }
    public int randomizedElectionTimeout() { return randomizedElectionTimeout; }
    public long pendingConfIndex() { return pendingConfIndex; }
    public long uncommittedSize() { return uncommittedSize; }

    public HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    public SoftState softState() {
        return new SoftState(lead, role());
    }

    // ---------------------------------------------------------------- outputs

    List<Message> takeMessages() {
        List<Message> out = messages;
        messages = new ArrayList<>();
        return out;
    }

    List<Message> takeMessagesAfterPersist() {
        List<Message> out = messagesAfterPersist;
        messagesAfterPersist = new ArrayList<>();
        return out;
    }

    List<ReadState> takeReadStates() {
        List<ReadState> out = readStates;
        readStates = new ArrayList<>();
        return out;
    }

    boolean hasOutput() {
        return !messages.isEmpty() || !messagesAfterPersist.isEmpty() || !readStates.isEmpty() || readRoundDue;
    }

    void addReadState(ReadState rs) {
        readStates.add(rs);
    }

    /** Queues a message for sending, stamping sender and term. */
    void send(Message m) {
        Message.Builder b = m.toBuilder();
        // A forwarded transfer request keeps its `from`: that names the transferee, not us.
        if (m.type() != MessageType.TRANSFER_LEADER || m.from() == 0) {
            b.from(id);
        }
        MessageType t = m.type();
        if (t.isVoteRequest() || t == MessageType.VOTE_RESPONSE || t == MessageType.PRE_VOTE_RESPONSE) {
            // Vote traffic carries a term chosen by the campaign rules, never the current one. The
            // one exception: a pre-vote refusal carries our own term, which is 0 on a replica that
            // has never seen a term (e.g. a fresh one refusing a lower-priority pre-candidate).
            boolean refusalAtTermZero = t == MessageType.PRE_VOTE_RESPONSE && m.reject() && term == 0;
            if (m.term() == 0 && !refusalAtTermZero) {
                throw new IllegalStateException("vote message without term: " + m);
            }
        } else if (t == MessageType.PROPOSE || t == MessageType.READ_INDEX || t == MessageType.TRANSFER_LEADER) {
            // Forwarded requests are term-less: the leader treats them like local requests.
            b.term(0);
        } else {
            b.term(term);
        }
        Message out = b.build();
        if (out.type().waitsForPersistence()) {
            messagesAfterPersist.add(out);
        } else {
            messages.add(out);
        }
    }

    // ---------------------------------------------------------------- time

    /** Advances logical time by one tick. */
    public void tick() {
        behavior.tick(this);
    }

    /** Followers and candidates: campaign once the randomized election timeout passes (§5.2). */
    void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            step(local(MessageType.HUP));
        }
    }

    /** Leaders: heartbeat every heartbeatTick; check quorum and expire transfers per election timeout. */
    void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTick()) {
            electionElapsed = 0;
            if (config.checkQuorum()) {
                step(local(MessageType.CHECK_QUORUM));
            }
            // A transfer that did not finish within an election timeout is abandoned (thesis §3.10).
            if (role() == StateRole.LEADER && leadTransferee != 0) {
                abortLeaderTransfer();
            }
            if (role() == StateRole.LEADER && !isVoter()) {
                handOverLeadership(); // a removed leader keeps trying until someone takes over
            }
        }
        if (role() != StateRole.LEADER) {
            return;
        }
        if (heartbeatElapsed >= config.heartbeatTick()) {
            heartbeatElapsed = 0;
            step(local(MessageType.BEAT));
        }
    }

    private Message local(MessageType type) {
        return Message.builder(type).from(id).build();
    }

    void forgetLeader() {
        if (role() == StateRole.FOLLOWER) {
            lead = 0;
        }
    }

    /** Whether ReadIndex requests wait on this leader (an idle group has none). */
    public boolean hasPendingReads() {
        return readIndexQueue.size() > 0 || !pendingReadIndexMessages.isEmpty();
    }

    void heardFromLeader(long leader) {
        electionElapsed = 0;
        lead = leader;
    }

    private void resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = config.electionTick() + random.nextInt(config.electionTick());
    }

    // ---------------------------------------------------------------- transitions

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        resetRandomizedElectionTimeout();
        abortLeaderTransfer();
        tracker.resetVotes();
        long last = log.lastIndex();
        tracker.forEach((pid, p) -> p.resetForNewTerm(pid == id ? log.lastPersistedIndex() : 0, last + 1));
        pendingConfIndex = 0;
        uncommittedSize = 0;
        readIndexQueue = new ReadIndexQueue();
        pendingReadIndexMessages.clear();
        readRoundDue = false;
        selfVotePending = false;
    }

    public void becomeFollower(long newTerm, long leader) {
        behavior = FollowerRole.INSTANCE;
        reset(newTerm);
        lead = leader;
    }

    void becomePreCandidate() {
        if (role() == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition: leader -> pre-candidate");
        }
        // A pre-candidate changes neither term nor vote (thesis §9.6); it only forgets the leader.
        behavior = CandidateRole.PRE;
        tracker.resetVotes();
        lead = 0;
    }

    void becomeCandidate() {
        if (role() == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition: leader -> candidate");
        }
        behavior = CandidateRole.REAL;
        reset(term + 1);
        vote = id;
    }

    void becomeLeader() {
        if (role() == StateRole.FOLLOWER) {
            throw new IllegalStateException("invalid transition: follower -> leader (a leader must win an election)");
        }
        behavior = LeaderRole.INSTANCE;
        reset(term);
        lead = id;
        Progress self = tracker.get(id);
        self.becomeReplicate();
        self.setRecentActive(true);
        // Conservatively treat every uncommitted entry as possibly holding a conf change.
        pendingConfIndex = log.lastIndex();
        // The no-op of the new term lets the leader commit earlier entries (§5.4.2, §8).
        Entry noop = Entry.empty(term, log.lastIndex() + 1);
        log.append(List.of(noop));
    }

    // ---------------------------------------------------------------- campaigns

    boolean promotable() {
        Progress self = tracker.get(id);
        return self != null && !self.isLearner() && !log.hasPendingSnapshot();
    }

    /** MsgHup: start a campaign unless this replica cannot or should not (thesis §9.6, §4.1). */
    void hup(CampaignType type) {
        if (role() == StateRole.LEADER) {
            return;
        }
        if (!promotable()) {
            return;
        }
        if (hasUnappliedConfChanges()) {
            // Campaigning now could make a leader with a configuration it has not applied.
            return;
        }
        campaign(type);
    }

    private boolean hasUnappliedConfChanges() {
        if (log.applied() >= log.committed()) {
            return false;
        }
        long lo = log.applied() + 1;
        long hi = log.committed() + 1;
        while (lo < hi) {
            List<Entry> ents;
            try {
                ents = log.slice(lo, hi, config.maxCommittedSizePerReady());
            } catch (LogStorageException e) {
                return false;
            }
            for (Entry e : ents) {
                if (e.isConfChange()) {
                    return true;
                }
            }
            lo = ents.get(ents.size() - 1).index() + 1;
        }
        return false;
    }

    void campaign(CampaignType type) {
        if (!promotable()) {
            return;
        }
        MessageType voteType;
        long voteTerm;
        if (type == CampaignType.PRE_ELECTION) {
            becomePreCandidate();
            voteType = MessageType.PRE_VOTE;
            voteTerm = term + 1; // asks for the term it would use, without taking it
        } else {
            becomeCandidate();
            voteType = MessageType.VOTE;
            voteTerm = term;
        }
        if (type == CampaignType.PRE_ELECTION) {
            if (poll(id, true) == VoteResult.WON) {
                campaign(CampaignType.ELECTION); // a single voter needs no one's pre-vote
                return;
            }
        } else {
            // Our own vote counts once it is durable (onHardStatePersisted), like everyone else's.
            // Counting it at once let a single voter lead a term whose vote was never saved: after
            // a crash it could lead the same term again with a different log, and the learners,
            // which may already have its first appends, would hold two different entries at one
            // index and term (Log Matching, Raft paper §5.3).
            selfVotePending = true;
        }
        long lastIndex = log.lastIndex();
        long lastTerm = log.lastTerm();
        for (long voter : tracker.config().voters().ids()) {
            if (voter == id) {
                continue;
            }
            send(Message.builder(voteType).to(voter).term(voteTerm).index(lastIndex).logTerm(lastTerm)
                    .context(type == CampaignType.TRANSFER ? Message.TRANSFER_CONTEXT : null)
                    .priority(config.priority()).build());
        }
    }

    /** The host made the hard state {@code hs} durable: a pending vote for ourselves now counts. */
    void onHardStatePersisted(HardState hs) {
        if (!selfVotePending || role() != StateRole.CANDIDATE || hs.term() != term || hs.vote() != id) {
            return;
        }
        selfVotePending = false;
        VoteResult result = poll(id, true);
        if (result == VoteResult.WON) {
            becomeLeader();
            broadcastAppend();
        } else if (result == VoteResult.LOST) {
            becomeFollower(term, 0);
        }
    }

    VoteResult poll(long from, boolean granted) {
        tracker.recordVote(from, granted);
        return tracker.tallyVotes();
    }

    // ---------------------------------------------------------------- step

    /**
     * Feeds one message. Applies the term rules (Raft paper §5.1, thesis §9.6) and the vote
     * rules, then hands the rest to the role.
     *
     * @throws ProposalDroppedException for a local proposal that cannot be accepted
     */
    public void step(Message m) {
        if (m.term() == 0) {
            // Local or forwarded request: no term rules apply.
        } else if (m.term() > term) {
            if (m.type().isVoteRequest()) {
                boolean inLease = config.checkQuorum() && lead != 0 && electionElapsed < config.electionTick();
                if (!m.isTransferCampaign() && inLease) {
                    // Leader stickiness (thesis §4.2.3): we heard from a live leader within the
                    // election timeout, so a disruptive candidate is ignored without a term change.
                    return;
                }
            }
            if (m.type() == MessageType.PRE_VOTE) {
                // A pre-vote never changes our term.
            } else if (m.type() == MessageType.PRE_VOTE_RESPONSE && !m.reject()) {
                // A granted pre-vote carries the future term; the term changes when the election starts.
            } else if (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT
                    || m.type() == MessageType.SNAPSHOT) {
                becomeFollower(m.term(), m.from());
            } else {
                becomeFollower(m.term(), 0);
            }
        } else if (m.term() < term) {
            if (isVoteRefusal(m)) {
                learnCommitFromRefusal(m); // a commit index holds whatever the term of its messenger
            }
            answerStaleTerm(m);
            return;
        }

        switch (m.type()) {
            case HUP -> hup(config.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
            case VOTE, PRE_VOTE -> handleVoteRequest(m);
            default -> {
                if (isVoteRefusal(m)) {
                    learnCommitFromRefusal(m);
                }
                behavior.step(this, m);
            }
        }
    }

    private static boolean isVoteRefusal(Message m) {
        return m.reject() && (m.type() == MessageType.VOTE_RESPONSE || m.type() == MessageType.PRE_VOTE_RESPONSE);
    }

    /**
     * A refusal may say how much of our log is committed (see {@link #handleVoteRequest}). A
     * commit index is a fact about the group, not about a term, so it is safe to adopt from any
     * replica whose log agrees with ours at that index (Log Matching, Raft paper §5.3). It
     * unsticks a candidate whose applied configuration still counts a removed replica: once it
     * learns that its removal committed, it applies it and stops needing that replica's vote.
     */
    private void learnCommitFromRefusal(Message m) {
        if (role() == StateRole.LEADER || m.commit() <= log.committed() || !log.matchTerm(m.commit(), m.logTerm())) {
            return;
        }
        log.commitTo(m.commit());
        if (role() != StateRole.FOLLOWER) {
            // The campaign counts votes with a configuration that may be out of date: drop it, and
            // campaign again once the newly committed entries are applied (hup waits for that).
            becomeFollower(term, 0);
        }
    }

    /**
     * A message from an older term (Raft paper §5.1, Figure 2: a request with a stale term is
     * refused, and the reply carries our term so the sender catches up). Appends, heartbeats and
     * pre-votes are always answered; vote requests are answered without pre-vote (with it, the
     * pre-vote refusal has already told the candidate). Everything else is ignored.
     *
     * <p>etcd/raft answers stale appends only with check-quorum or pre-vote, counting on the
     * newer-term replica's vote requests to depose the stale leader; but a replica that lags
     * behind a membership change may not count the leader as a voter and so never asks it,
     * while the leader waits for it forever. Likewise a candidate able to win never caught up
     * with the term of a voter that kept campaigning without a chance.</p>
     */
    private void answerStaleTerm(Message m) {
        if (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APPEND) {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).build());
        } else if (m.type() == MessageType.PRE_VOTE) {
            send(Message.builder(MessageType.PRE_VOTE_RESPONSE).to(m.from()).term(term).reject(true).build());
        } else if (m.type() == MessageType.VOTE && !config.preVote()) {
            send(Message.builder(MessageType.VOTE_RESPONSE).to(m.from()).term(term).reject(true).build());
        }
    }

    /**
     * The vote rule (Raft paper §5.2, §5.4.1; thesis §9.6): grant when this is a repeat of our
     * vote, or we have not voted and know no leader this term, or it is a pre-vote for a later
     * term; and only if the candidate's log is at least as up to date as ours. Priority: a
     * lower-priority candidate needs a strictly more up-to-date log (later last term, or the
     * same last term and longer), unless we cannot campaign ourselves (a learner, say).
     */
    private void handleVoteRequest(Message m) {
        boolean canVote = vote == m.from()
                || (vote == 0 && lead == 0)
                || (m.type() == MessageType.PRE_VOTE && m.term() > term);
        boolean upToDate = log.isUpToDate(m.index(), m.logTerm());
        // Priority may refuse a candidate only when we could lead in its place: when we may
        // campaign at all, and its log is not strictly more up to date than ours. Comparing the
        // index alone, or refusing as a learner, could refuse the only replica able to win, and no
        // leader could ever be elected.
        long myLastTerm = log.lastTerm();
        boolean candidateNewer = m.logTerm() > myLastTerm
                || (m.logTerm() == myLastTerm && m.index() > log.lastIndex());
        boolean priorityOk = candidateNewer || config.priority() <= m.priority() || !promotable();
        MessageType resp = m.type().voteResponse();
        if (canVote && upToDate && priorityOk) {
            // The grant carries the request's term: for a pre-vote that is a term we have not taken.
            send(Message.builder(resp).to(m.from()).term(m.term()).build());
            if (m.type() == MessageType.VOTE) {
                electionElapsed = 0;
                vote = m.from();
            }
        } else {
            Message.Builder refusal = Message.builder(resp).to(m.from()).term(term).reject(true);
            // If our log agrees with the candidate's up to its last entry, tell it how much of that
            // is committed: a candidate that does not know its configuration changed can be stuck
            // asking a replica that was removed (and so no longer hears from any leader) for votes.
            long known = Math.min(log.committed(), m.index());
            if (known > 0 && log.matchTerm(m.index(), m.logTerm())) {
                refusal.commit(known).logTerm(log.term(known));
            }
            send(refusal.build());
        }
    }

    // ---------------------------------------------------------------- follower handling

    void handleAppend(Message m) {
        if (m.index() < log.committed()) {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(log.committed()).build());
            return;
        }
        long lastNew = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(lastNew).build());
            return;
        }
        // Fast back-off: point the leader at the last index whose term could still match.
        long[] hint = log.findConflictByTerm(Math.min(m.index(), log.lastIndex()), m.logTerm());
        send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(m.index()).reject(true)
                .rejectHint(hint[0]).logTerm(hint[1]).build());
    }

    void handleHeartbeat(Message m) {
        log.commitTo(Math.min(m.commit(), log.lastIndex()));
        send(Message.builder(MessageType.HEARTBEAT_RESPONSE).to(m.from()).context(m.context()).build());
    }

    void handleSnapshot(Message m) {
        Snapshot snap = m.snapshot();
        if (snap != null && restore(snap)) {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(log.lastIndex()).build());
        } else {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(log.committed()).build());
        }
    }

    /** Installs a snapshot from the leader (Raft paper §7). Returns false if it was not needed. */
    boolean restore(Snapshot snap) {
        if (snap.index() <= log.committed()) {
            return false;
        }
        if (role() != StateRole.FOLLOWER) {
            // Only a follower of the sender's term gets here; anything else is a bug upstream.
            becomeFollower(term + 1, 0);
            return false;
        }
        ConfState cs = snap.metadata().confState();
        if (!cs.voters().contains(id) && !cs.learners().contains(id) && !cs.votersOutgoing().contains(id)) {
            // A snapshot for a configuration we are not in would leave us unable to act sanely.
            return false;
        }
        if (log.matchTerm(snap.index(), snap.term())) {
            // We already have the entries: just fast-forward the commit.
            log.commitTo(snap.index());
            return false;
        }
        log.restore(snap);
        ProgressTracker fresh = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
        ConfStateRestorer.restore(fresh, cs, log.lastIndex());
        tracker.install(fresh.config(), fresh.progress());
        refreshLearnerFlag();
        return true;
    }

    // ---------------------------------------------------------------- leader helpers

    /** Appends the leader's own entries; false when the uncommitted limit refuses them. */
    boolean appendEntries(List<Entry> ents) {
        long last = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(ents.size());
        long size = 0;
        for (int i = 0; i < ents.size(); i++) {
            Entry e = ents.get(i);
            stamped.add(e.at(term, last + 1 + i));
            size += e.payloadSize();
        }
        if (config.maxUncommittedEntriesSize() > 0 && uncommittedSize > 0 && size > 0
                && uncommittedSize + size > config.maxUncommittedEntriesSize()) {
            return false;
        }
        uncommittedSize += size;
        log.append(stamped);
        // The leader's own match advances only when the host reports these entries durable.
        return true;
    }

    void reduceUncommittedSize(long size) {
        uncommittedSize = Math.max(0, uncommittedSize - size);
    }

    /** Commits what a quorum has persisted; true if the commit index moved. */
    boolean maybeCommit() {
        return log.maybeCommit(tracker.committed(), term);
    }

    boolean committedEntryInCurrentTerm() {
        return log.termOrZero(log.committed()) == term;
    }

    void broadcastAppend() {
        tracker.forEach((pid, p) -> {
            if (pid != id) {
                sendAppend(pid, true);
            }
        });
    }

    void broadcastHeartbeat() {
        byte[] ctx = readIndexQueue.lastContext();
        broadcastHeartbeat(ctx);
        // This round carries the newest read's context, so it confirms every queued read.
        readRoundDue = false;
    }

    /** Asks for a heartbeat round to confirm queued reads; sent once per Ready (see {@link #flushReadRound}). */
    void requestReadRound() {
        readRoundDue = true;
    }

    /**
     * Sends one heartbeat round for all reads queued since the last round (thesis §6.4): its
     * confirmation releases every one of them, so a batch of reads costs one round, not one each.
     */
    void flushReadRound() {
        if (readRoundDue && role() == StateRole.LEADER && readIndexQueue.size() > 0) {
            broadcastHeartbeat();
        }
        readRoundDue = false;
    }

    void broadcastHeartbeat(byte[] ctx) {
        tracker.forEach((pid, p) -> {
            if (pid != id) {
                sendHeartbeat(pid, ctx);
            }
        });
    }

    void sendHeartbeat(long to, byte[] ctx) {
        // Never tell a follower to commit past what it is known to hold (it may not have it).
        long commit = Math.min(tracker.get(to).match(), log.committed());
        send(Message.builder(MessageType.HEARTBEAT).to(to).commit(commit).context(ctx).build());
    }

    /**
     * Sends the next append to {@code to} if flow control allows; with {@code sendIfEmpty} an
     * empty append goes out too (to carry the commit index). Falls back to a snapshot when the
     * entries the follower needs were compacted. Returns whether a message was sent.
     */
    boolean sendAppend(long to, boolean sendIfEmpty) {
        Progress p = tracker.get(to);
        if (p == null || p.isPaused()) {
            return false;
        }
        long prevIndex = p.next() - 1;
        long prevTerm;
        List<Entry> ents;
        try {
            prevTerm = log.term(prevIndex);
            ents = log.entriesFrom(p.next(), config.maxSizePerMsg());
        } catch (LogStorageException.Compacted e) {
            return sendSnapshot(to, p);
        }
        if (ents.isEmpty() && !sendIfEmpty) {
            return false;
        }
        long bytes = 0;
        for (Entry e : ents) {
            bytes += e.sizeBytes();
        }
        send(Message.builder(MessageType.APPEND).to(to).index(prevIndex).logTerm(prevTerm).entries(ents)
                .commit(log.committed()).build());
        p.sentEntries(ents.size(), bytes, ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).index());
        return true;
    }

    private boolean sendSnapshot(long to, Progress p) {
        if (!p.recentActive()) {
            // Do not spend a snapshot on a follower that may well be down.
            return false;
        }
        Snapshot snap;
        try {
            snap = log.snapshot();
        } catch (LogStorageException.SnapshotTemporarilyUnavailable e) {
            return false;
        }
        if (snap.isEmpty()) {
            throw new IllegalStateException("entries for " + to + " are compacted but there is no snapshot");
        }
        p.becomeSnapshot(snap.index());
        send(Message.builder(MessageType.SNAPSHOT).to(to).snapshot(snap).build());
        return true;
    }

    void sendTimeoutNow(long to) {
        send(Message.builder(MessageType.TIMEOUT_NOW).to(to).build());
    }

    void abortLeaderTransfer() {
        leadTransferee = 0;
    }

    void startLeaderTransfer(long to) {
        leadTransferee = to;
        // The transfer gets one election timeout to finish.
        electionElapsed = 0;
    }

    ReadIndexQueue readIndexQueue() {
        return readIndexQueue;
    }

    List<Message> pendingReadIndexMessages() {
        return pendingReadIndexMessages;
    }

    /** Answers a confirmed read: locally as a read state, or to the follower that asked. */
    void answerRead(Message request, long readIndex) {
        if (request.from() == 0 || request.from() == id) {
            readStates.add(new ReadState(readIndex, request.context()));
        } else {
            send(Message.builder(MessageType.READ_INDEX_RESPONSE).to(request.from()).index(readIndex)
                    .context(request.context()).build());
        }
    }

    void setPendingConfIndex(long index) {
        pendingConfIndex = index;
    }

    // ---------------------------------------------------------------- host callbacks

    /**
     * The host made entries up to {@code index} (at {@code term}) durable. For a leader this is
     * its own acknowledgement, so commit counts only what is really on disk.
     */
    void onPersisted(long index, long entryTerm) {
        log.stableTo(index, entryTerm);
        if (role() == StateRole.LEADER && log.matchTerm(index, entryTerm)) {
            Progress self = tracker.get(id);
            if (self != null && self.maybeUpdate(index)) {
                if (maybeCommit()) {
                    LeaderRole.INSTANCE.onCommitAdvanced(this);
                }
            }
        }
    }

    void onSnapshotPersisted(long index) {
        log.stableSnapTo(index);
    }

    /** The host applied entries up to {@code index}; a leader may now leave a joint config. */
    void onApplied(long index, long appliedPayload) {
        long old = log.applied();
        log.appliedTo(index);
        if (role() == StateRole.LEADER) {
            reduceUncommittedSize(appliedPayload);
        }
        if (index > old && tracker.config().autoLeave() && index >= pendingConfIndex && role() == StateRole.LEADER) {
            // Leave the joint configuration on our own once entering it has applied (thesis §4.3).
            Entry leave = ConfChange.leaveJoint().toEntry();
            if (appendEntries(List.of(leave))) {
                pendingConfIndex = log.lastIndex();
                broadcastAppend();
            }
        }
    }

    /** Applies a committed membership change; returns the configuration now in force. */
    public ConfState applyConfChange(ConfChange cc) {
        ConfigurationChanger changer = new ConfigurationChanger(tracker.config(), tracker.progress(),
                log.lastIndex(), tracker.newInflights());
        ChangeResult r;
        if (cc.isLeaveJoint()) {
            r = changer.leaveJoint();
        } else if (cc.entersJoint()) {
            r = changer.enterJoint(cc.autoLeave(), cc.changes());
        } else {
            r = changer.simple(cc.changes());
        }
        return switchToConfig(r);
    }

    private ConfState switchToConfig(ChangeResult r) {
        tracker.install(r.config(), r.progress());
        refreshLearnerFlag();
        ConfState cs = r.config().toConfState();
        if (role() != StateRole.LEADER || cs.voters().isEmpty()) {
            return cs;
        }
        // The quorum may have shrunk: something may be committable now.
        if (maybeCommit()) {
            LeaderRole.INSTANCE.onCommitAdvanced(this);
        } else {
            // A member we know nothing about (match 0, e.g. just added) is probed at once, even
            // with nothing new to send, rather than waiting for the next heartbeat round.
            tracker.forEach((pid, p) -> {
                if (pid != id) {
                    sendAppend(pid, p.match() == 0);
                }
            });
        }
        if (leadTransferee != 0 && !tracker.config().voters().contains(leadTransferee)) {
            abortLeaderTransfer();
        }
        if (!isVoter()) {
            // Removed or demoted while leading. Stepping down at once would leave the others to
            // learn on their own that the change committed, and this leader may be the only one
            // that knows. So it keeps leading only to hand over: it serves no proposals or reads,
            // and transfers leadership to the best remaining voter (thesis §3.10, §4.2.2).
            handOverLeadership();
        }
        return cs;
    }

    /** Whether this replica votes in the configuration it has applied. */
    boolean isVoter() {
        return tracker.config().voters().contains(id);
    }

    /**
     * A leader that is no longer a voter transfers leadership to the remaining voter with the
     * longest log, again every election timeout until a new leader's term deposes it (or
     * check-quorum does; then refusals tell the others what committed, see
     * {@link #learnCommitFromRefusal}).
     */
    void handOverLeadership() {
        long best = 0;
        long bestMatch = -1;
        for (long v : tracker.config().voters().ids()) {
            Progress p = tracker.get(v);
            if (v != id && p != null && p.match() > bestMatch) {
                best = v;
                bestMatch = p.match();
            }
        }
        if (best == 0) {
            becomeFollower(term, 0); // nobody to hand over to (a configuration always has a voter)
            return;
        }
        step(Message.builder(MessageType.TRANSFER_LEADER).from(best).build());
    }

    private void refreshLearnerFlag() {
        Progress self = tracker.get(id);
        learner = self != null && self.isLearner();
    }

    @Override
    public String toString() {
        return "raft[" + id + " " + role() + " term=" + term + " vote=" + vote + " lead=" + lead + " " + log + "]";
    }
}
