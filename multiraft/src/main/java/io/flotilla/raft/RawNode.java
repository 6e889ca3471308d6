package io.flotilla.raft;

import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's handle on one replica: feed it ticks, messages and requests; take its work as a
 * {@link Ready}; confirm with {@link #advance(Ready)}. Single-threaded and deterministic: the
 * host serializes every call for one group. One Ready is outstanding at a time.
 */
public final class RawNode {
    private final Raft raft;
    // What the last Ready reported, kept as fields (the soft state) and as the very object handed
    // to the host (the hard state, which the host's storage keeps anyway): one idle replica
    // among a hundred thousand should not hold copies.
    private long prevLead;
    private StateRole prevRole;
    private HardState prevHard;
    private boolean awaitingAdvance;

    public RawNode(RaftConfig config, LogStorage storage) {
        this(config, storage, config.applied(), config.randomSeed());
    }

    /**
     * A replica whose applied index and timeout seed are given apart from {@code config}: a
     * host of many replicas shares one config among all with the same id (see
     * {@link Raft#Raft(RaftConfig, LogStorage, long, long)}).
     */
    public RawNode(RaftConfig config, LogStorage storage, long applied, long randomSeed) {
        this.raft = new Raft(config, storage, applied, randomSeed);
        this.prevLead = raft.lead();
        this.prevRole = raft.role();
        HardState hs = raft.hardState();
        HardState stored = storage.initialHardState();
        this.prevHard = hs.equals(stored) ? stored : hs;
    }

    /** The state machine itself, for tests and status; hosts use the methods here. */
    public Raft raft() {
        return raft;
    }

    public void tick() {
        raft.tick();
    }

    /** Starts an election now (with pre-vote if configured), as an election timeout would. */
    public void campaign() {
        raft.step(Message.builder(MessageType.HUP).from(raft.id()).build());
    }

    /**
     * Proposes an application command.
     *
     * @throws ProposalDroppedException when it cannot be accepted here and now
     */
    public void propose(byte[] data) {
        propose(List.of(Entry.normal(0, 0, data)));
    }

    /** Proposes several commands together, all or none. */
    public void propose(List<Entry> entries) {
        raft.step(Message.builder(MessageType.PROPOSE).from(raft.id()).entries(entries).build());
    }

    /** Proposes a membership change; it takes effect when the host applies it. */
    public void proposeConfChange(ConfChange cc) {
        raft.step(Message.builder(MessageType.PROPOSE).from(raft.id()).entries(List.of(cc.toEntry())).build());
    }

    /** Applies a committed membership change entry; returns the configuration now in force. */
    public ConfState applyConfChange(ConfChange cc) {
        return raft.applyConfChange(cc);
    }

    /**
     * Feeds a message from a peer.
     *
     * @throws IllegalArgumentException for local-only message kinds
     */
    public void step(Message m) {
        if (m.type().isLocal()) {
            throw new IllegalArgumentException("local message " + m.type() + " cannot come from the network");
        }
        if (m.type().isResponse() && !raft.tracker().isMember(m.from())) {
            return; // an answer from a node that is not (any longer) a member
        }
        try {
            raft.step(m);
        } catch (ProposalDroppedException e) {
            // A forwarded proposal that cannot be accepted is dropped, as the network could have.
        }
    }

    /** Asks to hand leadership to {@code transferee} (thesis §3.10). */
    public void transferLeader(long transferee) {
        raft.step(Message.builder(MessageType.TRANSFER_LEADER).from(transferee).build());
    }

    /** Requests a linearizable read point; the answer comes back as a {@link ReadState}. */
    public void readIndex(byte[] context) {
        raft.step(Message.builder(MessageType.READ_INDEX).from(raft.id()).context(context).build());
    }

    /**
     * The index a read may be served at without a heartbeat round under the leader lease, or -1
     * when this replica holds none; see {@link Raft#leaseReadIndex(int)}. A query: it changes
     * nothing, and without a lease the host falls back to {@link #readIndex(byte[])}.
     */
    public long leaseReadIndex(int safetyMarginTicks) {
        return raft.leaseReadIndex(safetyMarginTicks);
    }

    /**
     * Voids the leader lease until a quorum answers again. For hosts whose clock skipped time
     * that this replica did not count: it slept (quiescence), or ticks were dropped.
     */
    public void forfeitLease() {
        raft.forfeitLease();
    }

    /**
     * A follower forgets its leader, lifting the leader lease so it grants (pre-)votes at once.
     * For hosts that learn by other means (node liveness) that the leader is gone.
     */
    public void forgetLeader() {
        raft.forgetLeader();
    }

    public void reportUnreachable(long peer) {
        raft.step(Message.builder(MessageType.UNREACHABLE).from(peer).build());
    }

    public void reportSnapshot(long peer, boolean success) {
        raft.step(Message.builder(MessageType.SNAPSHOT_STATUS).from(peer).reject(!success).build());
    }

    public boolean hasReady() {
        if (awaitingAdvance) {
            return false;
        }
        // Called for every group on every engine cycle: compare fields, allocate nothing.
        return raft.lead() != prevLead || raft.role() != prevRole
                || raft.term() != prevHard.term() || raft.vote() != prevHard.vote()
                || raft.log().committed() != prevHard.commit()
                || raft.log().hasPendingSnapshot()
                || raft.log().hasUnstableEntries()
                || raft.log().hasNextCommittedEntries()
                || raft.hasOutput();
    }

    /** Takes the pending work. Call {@link #advance(Ready)} before the next one. */
    public Ready ready() {
        if (awaitingAdvance) {
            throw new IllegalStateException("ready() called again before advance()");
        }
        raft.flushReadRound(); // reads stepped since the last Ready share one confirmation round
        // Soft and hard state are built only when they changed: most Readies (a heartbeat, an
        // acknowledgement) change neither.
        SoftState soft = null;
        if (raft.lead() != prevLead || raft.role() != prevRole) {
            soft = raft.softState();
            prevLead = soft.lead();
            prevRole = soft.role();
        }
        HardState hard = null;
        boolean termOrVoteChanged = raft.term() != prevHard.term() || raft.vote() != prevHard.vote();
        if (termOrVoteChanged || raft.log().committed() != prevHard.commit()) {
            hard = raft.hardState();
            prevHard = hard;
        }
        List<Entry> entries = raft.log().unstableEntries();
        Snapshot snap = raft.log().unstableSnapshot();
        List<Entry> committed = raft.log().nextCommittedEntries();
        Ready rd = new Ready(soft, hard, raft.takeReadStates(), entries, snap, committed, raft.takeMessages(),
                raft.takeMessagesAfterPersist(), !entries.isEmpty() || termOrVoteChanged || snap != null);
        if (!committed.isEmpty()) {
            raft.log().acceptApplying(committed.get(committed.size() - 1).index());
        }
        awaitingAdvance = true;
        return rd;
    }

    /** The host persisted, sent and applied what {@code rd} asked for. */
    public void advance(Ready rd) {
        if (!awaitingAdvance) {
            throw new IllegalStateException("advance() without an outstanding ready()");
        }
        awaitingAdvance = false;
        if (rd.snapshot() != null) {
            raft.onSnapshotPersisted(rd.snapshot().index());
            raft.log().appliedTo(rd.snapshot().index());
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            raft.onPersisted(last.index(), last.term());
        }
        if (rd.hardState() != null) {
            raft.onHardStatePersisted(rd.hardState());
        }
        if (!rd.committedEntries().isEmpty()) {
            long payload = 0;
            for (Entry e : rd.committedEntries()) {
                payload += e.payloadSize();
            }
            raft.onApplied(rd.committedEntries().get(rd.committedEntries().size() - 1).index(), payload);
        }
    }

    public RaftStatus status() {
        Map<Long, String> progress = new TreeMap<>();
        if (raft.role() == StateRole.LEADER) {
            raft.tracker().forEach((id, p) -> progress.put(id, p.toString()));
        }
        return new RaftStatus(raft.id(), raft.hardState(), raft.softState(), raft.log().applied(),
                raft.log().lastIndex(), raft.leadTransferee(), raft.tracker().config(), progress);
    }
}
