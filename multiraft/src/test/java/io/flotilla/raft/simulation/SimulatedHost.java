package io.flotilla.raft.simulation;

import io.flotilla.raft.RaftConfig;
import io.flotilla.raft.RawNode;
import io.flotilla.raft.ReadState;
import io.flotilla.raft.Ready;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.log.MemoryLogStorage;
import io.flotilla.raft.message.ConfChange;
import io.flotilla.raft.message.ConfChangeSingle;
import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.EntryType;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.message.Snapshot;
import io.flotilla.raft.message.SnapshotMetadata;
import io.flotilla.raft.quorum.JointConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One replica's host: runs the Ready loop over a {@link RawNode} by the contract, keeps the
 * state machine and the disk ({@link SimulatedDisk}), compacts, and can crash. A crash can hit
 * between Readys, or in the middle of one: before its writes were synced (they are lost, its
 * {@code messagesAfterPersist} never leave, any of its {@code messages} may already have left)
 * or after the sync but before the {@code messagesAfterPersist} were sent.
 */
final class SimulatedHost {
    /** Where in the Ready loop a crash hits. */
    enum CrashPoint {
        /** Between two Readys: only unsynced hard-state writes can be lost. */
        AT_REST,
        /** After a Ready was taken and some of its messages sent, before its writes were synced. */
        BEFORE_SYNC,
        /** After the Ready's writes were synced, before its messagesAfterPersist were sent. */
        AFTER_SYNC
    }

    /**
     * Deliberate host bugs, to show that the checks catch what a broken host would do. A real
     * run uses {@link #NONE}.
     */
    enum Defect {
        NONE,
        /** Acknowledges appended entries before syncing them (sends APPEND_RESPONSE early). */
        ACKS_BEFORE_SYNC,
        /** Loses the vote from its hard state when it restarts (a vote write the disk dropped). */
        LOSES_VOTE_ON_RESTART
    }

    /** What the state machine did: applied {@code entry} at {@code index}, or (entry null) restarted from a snapshot. */
    record Applied(long index, Entry entry, long digest) {
    }

    /** A leader moved its commit index to {@code commit} (whose entry has {@code entryTerm}) under {@code voters}. */
    record CommitPoint(long term, long commit, long entryTerm, JointConfig voters) {
    }

    private final long id;
    private final Defect defect;
    /** The host's own choices: which messages escape a crash, what survives it, how far to compact. */
    private final SplittableRandom rng;
    private final RaftConfig baseConfig;
    private final SimulatedDisk disk;
    private final MemoryLogStorage storage;
    private RawNode node;
    private int incarnation;
    private DigestStateMachine stateMachine;
    private ConfState confState;
    private long lastSeenCommit;

    private final List<Applied> applied = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private final List<CommitPoint> commitPoints = new ArrayList<>();

    private long snapshotsInstalled;
    private long snapshotsCreated;

    private SimulatedHost(long id, RaftConfig baseConfig, MemoryLogStorage storage, SplittableRandom rng,
                          Defect defect) {
        this.id = id;
        this.rng = rng;
        this.defect = defect;
        this.baseConfig = baseConfig;
        this.disk = new SimulatedDisk(storage);
        this.storage = storage;
    }

    /**
     * A voter of the initial group. Its log starts with one committed conf-change entry per
     * initial voter (term 1), as a bootstrapped etcd node's does, so that a node that joins
     * later with an empty log rebuilds the same configuration by replaying the log.
     */
    static SimulatedHost bootstrap(long id, int voters, RaftConfig config, SplittableRandom rng, Defect defect) {
        MemoryLogStorage s = new MemoryLogStorage();
        List<Entry> ents = new ArrayList<>();
        for (long v = 1; v <= voters; v++) {
            ents.add(new Entry(1, v, EntryType.CONF_CHANGE, ConfChange.of(ConfChangeSingle.addVoter(v)).encode()));
        }
        s.append(ents);
        s.setHardState(new HardState(1, 0, voters));
        SimulatedHost h = new SimulatedHost(id, config, s, rng, defect);
        h.start(config.randomSeed(), false);
        return h;
    }

    /** A node about to be added: empty storage, it learns everything from the leader. */
    static SimulatedHost joining(long id, RaftConfig config, SplittableRandom rng, Defect defect) {
        SimulatedHost h = new SimulatedHost(id, config, new MemoryLogStorage(), rng, defect);
        h.start(config.randomSeed(), false);
        return h;
    }

    private void start(long randomSeed, boolean appliedFromSnapshot) {
        // The state machine restarts from the durable snapshot. RaftConfig.applied is either 0
        // (entries up to the compaction point come again and are skipped here by index) or the
        // snapshot index (the snapshot is the persisted applied state).
        long appliedIndex = appliedFromSnapshot ? storage.snapshot().index() : 0;
        node = new RawNode(baseConfig.toBuilder().applied(appliedIndex).randomSeed(randomSeed).build(), storage);
        stateMachine = DigestStateMachine.fromSnapshot(storage.snapshot());
        confState = storage.initialConfState();
        lastSeenCommit = node.raft().log().committed();
        applied.add(new Applied(stateMachine.index(), null, stateMachine.digest()));
    }

    // ---------------------------------------------------------------- accessors

    long id() {
        return id;
    }

    boolean alive() {
        return node != null;
    }

    RawNode node() {
        return node;
    }

    int incarnation() {
        return incarnation;
    }

    MemoryLogStorage storage() {
        return storage;
    }

    HardState durableHardState() {
        return disk.durableHardState();
    }

    /** The commit index a restart would come back with. */
    long durableCommit() {
        return disk.durableCommit();
    }

    /** Whether entry {@code index} of term {@code term} survives a crash here. */
    boolean durablyHolds(long index, long term) {
        return disk.holds(index, term);
    }

    long snapshotsInstalled() {
        return snapshotsInstalled;
    }

    long snapshotsCreated() {
        return snapshotsCreated;
    }

    List<Applied> drainApplied() {
        return drain(applied);
    }

    List<ReadState> drainReadStates() {
        return drain(readStates);
    }

    List<CommitPoint> drainCommitPoints() {
        return drain(commitPoints);
    }

    private static <T> List<T> drain(List<T> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(list);
        list.clear();
        return out;
    }

    // ---------------------------------------------------------------- inputs

    void tick() {
        node.tick();
        noteCommit();
    }

    void step(Message m) {
        node.step(m);
        noteCommit();
    }

    void campaign() {
        node.campaign();
        noteCommit();
    }

    /** The transport's word on a snapshot sent to {@code peer}. */
    void reportSnapshot(long peer, boolean success) {
        node.reportSnapshot(peer, success);
        noteCommit();
    }

    /** The transport could not reach {@code peer}. */
    void reportUnreachable(long peer) {
        node.reportUnreachable(peer);
        noteCommit();
    }

    /** @throws io.flotilla.raft.ProposalDroppedException when the node cannot take it */
    void propose(byte[] data) {
        node.propose(data);
    }

    void proposeConfChange(ConfChange cc) {
        node.proposeConfChange(cc);
    }

    void transferLeader(long to) {
        node.transferLeader(to);
    }

    void readIndex(byte[] ctx) {
        node.readIndex(ctx);
    }

    boolean hasReady() {
        return node != null && node.hasReady();
    }

    // ---------------------------------------------------------------- the Ready loop

    /** Handles one Ready by the contract; {@code syncAnyway} also syncs a Ready that need not. */
    void handleReady(Consumer<Message> outbox, boolean syncAnyway) {
        Ready rd = node.ready();
        for (Message m : rd.messages()) {
            outbox.accept(onTheWire(m));
        }
        sendEarlyAcks(rd, outbox);
        persist(rd);
        if (rd.mustSync() || syncAnyway) {
            disk.sync();
        }
        for (Message m : rd.messagesAfterPersist()) {
            if (!earlyAck(m)) {
                outbox.accept(onTheWire(m));
            }
        }
        readStates.addAll(rd.readStates());
        apply(rd);
        node.advance(rd);
        noteCommit();
    }

    private boolean earlyAck(Message m) {
        return defect == Defect.ACKS_BEFORE_SYNC && m.type() == MessageType.APPEND_RESPONSE;
    }

    private void sendEarlyAcks(Ready rd, Consumer<Message> outbox) {
        for (Message m : rd.messagesAfterPersist()) {
            if (earlyAck(m)) {
                outbox.accept(m);
            }
        }
    }

    /**
     * What the transport actually sends. A snapshot may be streamed from the state machine as
     * it is now, with the configuration now in force, as etcd's server does; it must be when
     * the stored one predates the recipient's membership: a replica refuses a snapshot whose
     * configuration does not include it (etcd-io/etcd#13741, tikv/raft-rs#472), so the stored
     * one would never let a new member catch up. Otherwise either may go.
     */
    private Message onTheWire(Message m) {
        if (m.type() != MessageType.SNAPSHOT || stateMachine.index() <= m.snapshot().index()) {
            return m;
        }
        ConfState stored = m.snapshot().metadata().confState();
        boolean includesRecipient = stored.voters().contains(m.to()) || stored.learners().contains(m.to())
                || stored.votersOutgoing().contains(m.to());
        if (includesRecipient && rng.nextBoolean()) {
            return m;
        }
        long at = stateMachine.index();
        Snapshot fresh = new Snapshot(new SnapshotMetadata(confState, at, node.raft().log().term(at)),
                stateMachine.snapshotData());
        return m.toBuilder().snapshot(fresh).build();
    }

    private void persist(Ready rd) {
        HardState hs = rd.hardState();
        HardState durable = disk.durableHardState();
        boolean durableChange = !rd.entries().isEmpty() || rd.snapshot() != null
                || (hs != null && (hs.term() != durable.term() || hs.vote() != durable.vote()));
        if (durableChange && !rd.mustSync()) {
            throw new InvariantViolation("Ready changes entries, snapshot, term or vote but does not ask for a sync: "
                    + rd);
        }
        disk.write(rd);
        if (rd.snapshot() != null) {
            stateMachine = DigestStateMachine.fromSnapshot(rd.snapshot());
            confState = rd.snapshot().metadata().confState();
            applied.add(new Applied(stateMachine.index(), null, stateMachine.digest()));
            snapshotsInstalled++;
        }
    }

    private void apply(Ready rd) {
        for (Entry e : rd.committedEntries()) {
            if (e.index() <= stateMachine.index()) {
                continue; // already part of the snapshot the state machine restarted from
            }
            if (e.isConfChange()) {
                confState = node.applyConfChange(ConfChange.decode(e.data()));
                noteCommit();
            }
            long digest = stateMachine.apply(e);
            applied.add(new Applied(e.index(), e, digest));
        }
    }

    /** Records a leader's commit advance together with the configuration that allowed it. */
    private void noteCommit() {
        long c = node.raft().log().committed();
        if (c > lastSeenCommit && node.raft().role() == StateRole.LEADER) {
            commitPoints.add(new CommitPoint(node.raft().term(), c, node.raft().log().termOrZero(c),
                    node.raft().tracker().config().voters()));
        }
        lastSeenCommit = Math.max(lastSeenCommit, c);
    }

    // ---------------------------------------------------------------- compaction

    /**
     * Snapshots the state machine at its applied index and compacts the log up to a random
     * point at or below it, so lagging followers need the snapshot. Returns whether it did.
     */
    boolean compact() {
        long at = stateMachine.index();
        if (at <= storage.snapshot().index() || at > storage.lastIndex()) {
            return false;
        }
        storage.createSnapshot(at, confState, stateMachine.snapshotData());
        long first = storage.firstIndex();
        long upTo = first + rng.nextLong(at - first + 1);
        storage.compact(upTo);
        disk.sync(); // compaction is synced, and the sync covers earlier unsynced writes
        snapshotsCreated++;
        return true;
    }

    // ---------------------------------------------------------------- crash and restart

    /**
     * Crashes at {@code point}. Messages that may have left before the crash go to
     * {@code outbox}; everything not durable is lost.
     */
    void crash(CrashPoint point, Consumer<Message> outbox) {
        if (point != CrashPoint.AT_REST && node.hasReady()) {
            Ready rd = node.ready();
            for (Message m : rd.messages()) {
                if (rng.nextBoolean()) {
                    outbox.accept(onTheWire(m));
                }
            }
            sendEarlyAcks(rd, outbox);
            if (point == CrashPoint.AFTER_SYNC) {
                persist(rd);
                disk.sync();
            }
        }
        disk.crash(rng.nextBoolean());
        if (defect == Defect.LOSES_VOTE_ON_RESTART) {
            disk.loseVote();
        }
        node = null;
        stateMachine = null;
        confState = null;
        readStates.clear();
        commitPoints.clear();
    }

    void restart(long randomSeed, boolean appliedFromSnapshot) {
        incarnation++;
        start(randomSeed, appliedFromSnapshot);
    }

    @Override
    public String toString() {
        return alive() ? node.raft().toString() : "raft[" + id + " down]";
    }
}
