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
import io.flotilla.raft.quorum.VoteLookup;
import io.flotilla.raft.quorum.VoteResult;
import io.flotilla.raft.tracker.Progress;
import io.flotilla.raft.tracker.ProgressState;
import io.flotilla.raft.tracker.ProgressTracker;

import java.util.ArrayList;
import java.util.List;

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
    /** The state of the generator of randomized election timeouts (see {@link SeededRandom}). */
    private long randomState;

    private long term;
    private long vote;
    private long lead;
    private RoleBehavior behavior = FollowerRole.INSTANCE;
    private boolean learner;
    /** Whether this replica votes in the configuration in force; kept with {@link #learner}, read every tick. */
    private boolean voter;

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;
    /** Ticks since this replica was created: the clock of the leader lease (thesis §6.4.1). */
    private long ticks;
    /** This leader told a transferee to campaign at once, which overrides the followers' lease. */
    private boolean leaseForfeited;
    /** Answers heard at or before this tick do not count towards the lease (see {@link #forfeitLease()}). */
    private long leaseVoidThrough = Long.MIN_VALUE / 4;

    private long leadTransferee;
    private long pendingConfIndex;
    private long uncommittedSize;
    /** Created on first use: most replicas never serve a read. */
    private ReadIndexQueue readIndexQueue;
    private List<Message> pendingReadIndexMessages;
    /** Reads were queued since the last heartbeat round: the next Ready sends one round for all. */
    private boolean readRoundDue;
    /** A candidate's vote for itself waits for the hard state holding it to be durable. */
    private boolean selfVotePending;

    // Output queues, null while empty: an idle replica holds no lists, and taking nothing
    // allocates nothing.
    private List<Message> messages;
    private List<Message> messagesAfterPersist;
    private List<ReadState> readStates;

    public Raft(RaftConfig config, LogStorage storage) {
        this(config, storage, config.applied(), config.randomSeed());
    }

    /**
     * A replica whose applied index and timeout seed are given apart from {@code config}, so a
     * host of many replicas can share one config among all those with the same id: then
     * {@code config().applied()} and {@code config().randomSeed()} are not this replica's.
     */
    public Raft(RaftConfig config, LogStorage storage, long applied, long randomSeed) {
        this.id = config.id();
        this.config = config;
        this.log = new RaftLog(storage, config.maxCommittedSizePerReady());
        this.tracker = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
        // Only a leader tracks its followers' progress; it starts tracking when it is elected.
        tracker.stopTracking();
        this.randomState = randomSeed;
        HardState hs = storage.initialHardState();
        ConfState cs = storage.initialConfState();
        ConfStateRestorer.restore(tracker, cs, log.lastIndex());
        refreshLearnerFlag();
        if (!hs.isEmpty()) {
            loadHardState(hs);
        }
        if (applied < 0) {
            throw new RaftConfigException("applied index must not be negative, got " + applied);
        }
        if (applied > 0) {
            log.appliedTo(applied);
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

    /** Ticks this replica has counted since it was created. */
    public long ticks() {
        return ticks;
    }

    public SoftState softState() {
        return new SoftState(lead, role());
    }

    // ---------------------------------------------------------------- outputs

    List<Message> takeMessages() {
        List<Message> out = messages;
        messages = null;
        return out == null ? List.of() : out;
    }

    List<Message> takeMessagesAfterPersist() {
        List<Message> out = messagesAfterPersist;
        messagesAfterPersist = null;
        return out == null ? List.of() : out;
    }

    List<ReadState> takeReadStates() {
        List<ReadState> out = readStates;
        readStates = null;
        return out == null ? List.of() : out;
    }

    boolean hasOutput() {
        return messages != null || messagesAfterPersist != null || readStates != null || readRoundDue;
    }

    void addReadState(ReadState rs) {
        if (readStates == null) {
            readStates = new ArrayList<>(2);
        }
        readStates.add(rs);
    }

    /**
     * Queues a message for sending, stamping sender and term on the builder, so the message is
     * built once.
     */
    void send(Message.Builder b) {
        MessageType t = b.type();
        // A forwarded transfer request keeps its `from`: that names the transferee, not us.
        if (t != MessageType.TRANSFER_LEADER || b.from() == 0) {
            b.from(id);
        }
        if (t.isVoteRequest() || t == MessageType.VOTE_RESPONSE || t == MessageType.PRE_VOTE_RESPONSE) {
            // Vote traffic carries a term chosen by the campaign rules, never the current one. The
            // one exception: a pre-vote refusal carries our own term, which is 0 on a replica that
            // has never seen a term (e.g. a fresh one refusing a lower-priority pre-candidate).
            boolean refusalAtTermZero = t == MessageType.PRE_VOTE_RESPONSE && b.reject() && term == 0;
            if (b.term() == 0 && !refusalAtTermZero) {
                throw new IllegalStateException("vote message without term: " + b.build());
            }
        } else if (t == MessageType.PROPOSE || t == MessageType.READ_INDEX || t == MessageType.TRANSFER_LEADER) {
            // Forwarded requests are term-less: the leader treats them like local requests.
            b.term(0);
        } else {
            b.term(term);
        }
        queue(b.build());
    }

    /** Queues a message already stamped with this replica as sender and the right term. */
    private void queue(Message out) {
        if (out.type().waitsForPersistence()) {
            if (messagesAfterPersist == null) {
                messagesAfterPersist = new ArrayList<>(4);
            }
            messagesAfterPersist.add(out);
        } else {
            if (messages == null) {
                messages = new ArrayList<>(4);
            }
            messages.add(out);
        }
    }

    // ---------------------------------------------------------------- time

    /** Advances logical time by one tick. */
    public void tick() {
        ticks++;
        behavior.tick(this);
    }

    /**
     * How many ticks may pass before {@link #tick()} does more than count: an election timeout
     * here, or a leader's next heartbeat or quorum check. A host may hold back that many minus
     * one ticks and deliver them together before the next input, with the same outcome as
     * ticking one at a time; {@link Integer#MAX_VALUE} when no tick will ever act (a replica
     * that cannot campaign).
     */
    public int ticksUntilDue() {
        if (role() == StateRole.LEADER) {
            int hb = config.heartbeatTick() - heartbeatElapsed;
            int el = config.electionTick() - electionElapsed;
            return Math.max(1, Math.min(hb, el));
        }
        if (!promotable()) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, randomizedElectionTimeout - electionElapsed);
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

    // The clock's own messages carry nothing (no term, no sender is read), so one of each is shared.
    private static final Message HUP = Message.builder(MessageType.HUP).build();
    private static final Message CHECK_QUORUM = Message.builder(MessageType.CHECK_QUORUM).build();
    private static final Message BEAT = Message.builder(MessageType.BEAT).build();

    private static Message local(MessageType type) {
        return switch (type) {
            case HUP -> HUP;
            case CHECK_QUORUM -> CHECK_QUORUM;
            case BEAT -> BEAT;
            default -> throw new IllegalArgumentException("not a clock message: " + type);
        };
    }

    void forgetLeader() {
        if (role() == StateRole.FOLLOWER) {
            lead = 0;
        }
    }

    /** Whether ReadIndex requests wait on this leader (an idle group has none). */
    public boolean hasPendingReads() {
        return (readIndexQueue != null && readIndexQueue.size() > 0)
                || (pendingReadIndexMessages != null && !pendingReadIndexMessages.isEmpty());
    }

    /**
     * The index a read may be served at without a heartbeat round, under the leader lease
     * (Raft thesis §6.4.1), or -1 when this replica holds no lease. It holds when this is the
     * leader, check-quorum is on, an entry of this term has committed (so the commit index is
     * the group's, §6.4 step 1), leadership is not being handed over, and a quorum of voters
     * answered this leader within the last {@code electionTick - safetyMarginTicks} ticks.
     *
     * <p>Why that suffices: a follower that heard from its leader within an election timeout
     * ignores every vote request (leader stickiness, §4.2.3), so no other leader can be
     * elected before the lease runs out. The margin covers what the follower's timer and ours
     * disagree by: the time an answer takes to arrive, and clock drift. A transfer campaign
     * overrides stickiness, so once this leader has sent TimeoutNow it serves no more lease
     * reads in its term.</p>
     */
    public long leaseReadIndex(int safetyMarginTicks) {
        if (role() != StateRole.LEADER || !config.checkQuorum() || leadTransferee != 0 || leaseForfeited
                || !isVoter() || !committedEntryInCurrentTerm()) {
            return -1;
        }
        long window = config.electionTick() - (long) safetyMarginTicks;
        if (window <= 0) {
            return -1;
        }
        VoteResult r = tracker.config().voters().voteResult(v -> {
            if (v == id) {
                return VoteLookup.GRANTED;
            }
            Progress p = tracker.get(v);
            return p != null && p.heardWithin(ticks, window) && p.heardSince(leaseVoidThrough) ? VoteLookup.GRANTED
                    : VoteLookup.REJECTED;
        });
        return r == VoteResult.WON ? log.committed() : -1;
    }

    /**
     * Forgets when each follower last answered, so no lease holds until a quorum answers again.
     * For hosts whose clock skipped time this replica did not count (it slept, or ticks were
     * dropped): answers counted before then may be older than the tick count says.
     */
    void forfeitLease() {
        leaseVoidThrough = ticks;
    }

    void heardFromLeader(long leader) {
        electionElapsed = 0;
        lead = leader;
    }

    private void resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = config.electionTick() + nextRandom(config.electionTick());
    }

    /** A uniform int in {@code [0, bound)} from the seeded sequence; {@code bound} is positive. */
    private int nextRandom(int bound) {
        randomState = SeededRandom.next(randomState);
        int r = SeededRandom.bits(randomState);
        if ((bound & (bound - 1)) == 0) {
            return r & (bound - 1); // a power of two: the low bits are uniform
        }
        int u = r >>> 1;
        while (SeededRandom.biased(u, bound)) {
            randomState = SeededRandom.next(randomState);
            u = SeededRandom.bits(randomState) >>> 1;
        }
        return u % bound;
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
        // Progress belongs to a leader's term: a new leader starts it afresh (becomeLeader).
        tracker.stopTracking();
        pendingConfIndex = 0;
        uncommittedSize = 0;
        readIndexQueue = null;
        pendingReadIndexMessages = null;
        readRoundDue = false;
        selfVotePending = false;
        leaseForfeited = false;
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
        // Nothing is known of the followers yet (Raft paper §5.3: nextIndex starts past our log).
        tracker.startTracking(id, log.lastPersistedIndex(), log.lastIndex() + 1);
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
        return voter && !learner && !log.hasPendingSnapshot();
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
                    .priority(config.priority()));
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
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()));
        } else if (m.type() == MessageType.PRE_VOTE) {
            send(Message.builder(MessageType.PRE_VOTE_RESPONSE).to(m.from()).term(term).reject(true));
        } else if (m.type() == MessageType.VOTE && !config.preVote()) {
            send(Message.builder(MessageType.VOTE_RESPONSE).to(m.from()).term(term).reject(true));
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
            send(Message.builder(resp).to(m.from()).term(m.term()));
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
            send(refusal);
        }
    }

    // ---------------------------------------------------------------- follower handling

    void handleAppend(Message m) {
        if (m.index() < log.committed()) {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(log.committed()));
            return;
        }
        long lastNew = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(lastNew));
            return;
        }
        // Fast back-off: point the leader at the last index whose term could still match.
        long[] hint = log.findConflictByTerm(Math.min(m.index(), log.lastIndex()), m.logTerm());
        send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(m.index()).reject(true)
                .rejectHint(hint[0]).logTerm(hint[1]));
    }

    void handleHeartbeat(Message m) {
        log.commitTo(Math.min(m.commit(), log.lastIndex()));
        // The commonest message of all, built in one step.
        queue(Message.heartbeatResponse(id, m.from(), term, m.context()));
    }

    void handleSnapshot(Message m) {
        Snapshot snap = m.snapshot();
        if (snap != null && restore(snap)) {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(log.lastIndex()));
        } else {
            send(Message.builder(MessageType.APPEND_RESPONSE).to(m.from()).index(log.committed()));
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
        fresh.stopTracking(); // a follower installs it: configuration only
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
        byte[] ctx = readIndexQueue == null ? null : readIndexQueue.lastContext();
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
        if (readRoundDue && role() == StateRole.LEADER && readIndexQueue != null && readIndexQueue.size() > 0) {
            broadcastHeartbeat();
        }
        readRoundDue = false;
    }

    void broadcastHeartbeat(byte[] ctx) {
        tracker.forEach((pid, p) -> {
            if (pid != id) {
                sendHeartbeat(pid, p, ctx);
            }
        });
    }

    void sendHeartbeat(long to, byte[] ctx) {
        sendHeartbeat(to, tracker.get(to), ctx);
    }

    private void sendHeartbeat(long to, Progress p, byte[] ctx) {
        // Never tell a follower to commit past what it is known to hold (it may not have it).
        long commit = Math.min(p.match(), log.committed());
        queue(Message.heartbeat(id, to, term, commit, ctx));
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
                .commit(log.committed()));
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
        send(Message.builder(MessageType.SNAPSHOT).to(to).snapshot(snap));
        return true;
    }

    void sendTimeoutNow(long to) {
        // The transferee's campaign overrides the followers' lease: ours is void from here on.
        leaseForfeited = true;
        send(Message.builder(MessageType.TIMEOUT_NOW).to(to));
    }

    void abortLeaderTransfer() {
        leadTransferee = 0;
    }

    void startLeaderTransfer(long to) {
        leadTransferee = to;
        // The transfer gets one election timeout to finish.
        electionElapsed = 0;
    }

    boolean hasReadsWaitingForCommit() {
        return pendingReadIndexMessages != null && !pendingReadIndexMessages.isEmpty();
    }

    ReadIndexQueue readIndexQueue() {
        if (readIndexQueue == null) {
            readIndexQueue = new ReadIndexQueue();
        }
        return readIndexQueue;
    }

    List<Message> pendingReadIndexMessages() {
        if (pendingReadIndexMessages == null) {
            pendingReadIndexMessages = new ArrayList<>(2);
        }
        return pendingReadIndexMessages;
    }

    /** Answers a confirmed read: locally as a read state, or to the follower that asked. */
    void answerRead(Message request, long readIndex) {
        if (request.from() == 0 || request.from() == id) {
            addReadState(new ReadState(readIndex, request.context()));
        } else {
            send(Message.builder(MessageType.READ_INDEX_RESPONSE).to(request.from()).index(readIndex)
                    .context(request.context()));
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
        ConfigurationChanger changer = new ConfigurationChanger(tracker.config(),
                tracker.isTracking() ? tracker.progress() : null, log.lastIndex(), tracker.newInflights());
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
        return voter;
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
        learner = tracker.config().isLearner(id);
        voter = tracker.config().voters().contains(id);
    }

    @Override
    public String toString() {
        return "raft[" + id + " " + role() + " term=" + term + " vote=" + vote + " lead=" + lead + " " + log + "]";
    }
}
