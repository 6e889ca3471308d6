package io.flotilla.raft.simulation;

import io.flotilla.raft.ReadState;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.HardState;
import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;
import io.flotilla.raft.quorum.VoteLookup;
import io.flotilla.raft.quorum.VoteResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raft's safety properties, checked against the whole history of a run. Each public check is
 * named after the property it enforces and throws {@link InvariantViolation} with the
 * evidence. The checker knows nothing of hosts or networks: it is fed observations, so tests
 * can feed it broken histories directly.
 */
final class InvariantChecker {
    /** Answers whether a voter's durable storage holds the entry {@code (index, term)}. */
    @FunctionalInterface
    interface DurableLog {
        boolean holds(long voter, long index, long term);
    }

    /** An entry the first time it was seen committed, and the term of the replica that saw it. */
    private record Committed(Entry entry, long commitTerm) {
    }

    /** What log matching remembers of an (index, term): the entry and the term before it. */
    private record Placed(long term, Entry entry, long prevTerm) {
    }

    /** Per replica: the last term/commit seen, per incarnation, and the durable ones. */
    private static final class ReplicaRecord {
        int incarnation;
        long term;
        long commit;
        long durableTerm;
        long durableCommit;
    }

    /** Per replica: how far its applied sequence reaches. */
    private static final class AppliedCursor {
        long index;
    }

    /** Per leader: the term it leads and how far the committed entries were checked against it. */
    private static final class LeaderCursor {
        long term;
        long checkedUpTo;
    }

    private final TreeMap<Long, long[]> leaderOfTerm = new TreeMap<>();
    private final List<List<Placed>> placed = new ArrayList<>();
    private final List<Committed> committed = new ArrayList<>();
    private long maxCommittedIndex;
    private final Map<Long, LeaderCursor> leaderCursors = new HashMap<>();
    private final Map<Long, ReplicaRecord> replicas = new HashMap<>();
    private long maxCommitSeen;
    private final List<Entry> appliedEntries = new ArrayList<>();
    private final List<Long> appliedDigests = new ArrayList<>();
    private final Map<Long, AppliedCursor> appliedCursors = new HashMap<>();
    private final Map<String, Long> readFloors = new HashMap<>();
    private final Map<VoteKey, Long> votes = new HashMap<>();

    private record VoteKey(long voter, long term) {
    }

    InvariantChecker() {
        appliedEntries.add(null);
        appliedDigests.add(0L); // the empty state machine, before index 1
    }

    // ---------------------------------------------------------------- election safety

    /**
     * Election Safety (Raft paper §5.2, Figure 3): at most one leader per term, over the whole
     * run. A replica that leads a term, crashes and leads the same term again counts as a
     * second leader: it has forgotten what it did as the first.
     */
    void checkAtMostOneLeaderPerTerm(long id, int incarnation, StateRole role, long term) {
        if (role != StateRole.LEADER) {
            return;
        }
        long[] prev = leaderOfTerm.putIfAbsent(term, new long[] {id, incarnation});
        if (prev != null && prev[0] != id) {
            throw new InvariantViolation("at most one leader per term: " + prev[0] + " and " + id + " both led term "
                    + term);
        }
        if (prev != null && prev[1] != incarnation) {
            throw new InvariantViolation("at most one leader per term: " + id + " led term " + term
                    + " before and after a restart");
        }
    }

    int leadersElected() {
        return leaderOfTerm.size();
    }

    // ---------------------------------------------------------------- log matching

    /**
     * Log Matching (Raft paper §5.3): if two logs hold an entry with the same index and term,
     * they are identical up to it. An (index, term) is created once, by the leader of that
     * term; so it suffices that every (index, term) ever held anywhere carries the same entry
     * and the same term just before it. By induction, two logs that share an (index, term)
     * then agree over every index both still hold below it.
     *
     * @param termBeforeFirst the term at {@code log.get(0).index() - 1} (the compaction point)
     */
    void checkLogMatching(long id, long termBeforeFirst, List<Entry> log) {
        long prevTerm = termBeforeFirst;
        for (int i = 0; i < log.size(); i++) {
            Entry e = log.get(i);
            if (i > 0 && e.index() != log.get(i - 1).index() + 1) {
                throw new InvariantViolation("log matching: replica " + id + " has a gap before " + e.index());
            }
            if (e.term() < prevTerm) {
                throw new InvariantViolation("log matching: replica " + id + " has term " + e.term() + " at "
                        + e.index() + " after term " + prevTerm);
            }
            Placed p = placedAt(e.index(), e.term());
            if (p == null) {
                placedList(e.index()).add(new Placed(e.term(), e, prevTerm));
            } else if (p.entry() != e && !p.entry().equals(e)) {
                throw new InvariantViolation("log matching: replica " + id + " holds " + e + " but " + p.entry()
                        + " was placed at the same index and term");
            } else if (p.prevTerm() != prevTerm) {
                throw new InvariantViolation("log matching: replica " + id + " holds " + e + " after term " + prevTerm
                        + " but elsewhere it follows term " + p.prevTerm());
            }
            prevTerm = e.term();
        }
    }

    private Placed placedAt(long index, long term) {
        if (index >= placed.size()) {
            return null;
        }
        List<Placed> at = placed.get((int) index);
        if (at == null) {
            return null;
        }
        for (Placed p : at) {
            if (p.term() == term) {
                return p;
            }
        }
        return null;
    }

    private List<Placed> placedList(long index) {
        while (placed.size() <= index) {
            placed.add(null);
        }
        List<Placed> at = placed.get((int) index);
        if (at == null) {
            at = new ArrayList<>(1);
            placed.set((int) index, at);
        }
        return at;
    }

    // ---------------------------------------------------------------- committed entries

    /**
     * State Machine Safety at the log level (Raft paper §5.4.3): an index, once seen
     * committed anywhere, always holds the same entry. {@code newlyCommitted} are entries a
     * replica at term {@code observerTerm} has just counted as committed; the first sighting
     * records the commit term that leader completeness uses.
     */
    void checkCommittedEntriesNeverChange(long id, long observerTerm, List<Entry> newlyCommitted) {
        for (Entry e : newlyCommitted) {
            Committed c = committedAt(e.index());
            if (c == null) {
                while (committed.size() <= e.index()) {
                    committed.add(null);
                }
                committed.set((int) e.index(), new Committed(e, observerTerm));
                maxCommittedIndex = Math.max(maxCommittedIndex, e.index());
            } else if (c.entry() != e && !c.entry().equals(e)) {
                throw new InvariantViolation("committed entries never change: replica " + id + " committed " + e
                        + " where " + c.entry() + " was committed before");
            }
        }
    }

    /** The same check for a replica that only knows the term of a committed index (its compaction point). */
    void checkCommittedTermNeverChanges(long id, long index, long term) {
        Committed c = committedAt(index);
        if (c != null && c.entry().term() != term) {
            throw new InvariantViolation("committed entries never change: replica " + id + " has term " + term
                    + " at committed index " + index + " which holds " + c.entry());
        }
    }

    private Committed committedAt(long index) {
        return index < committed.size() ? committed.get((int) index) : null;
    }

    long maxCommittedIndex() {
        return maxCommittedIndex;
    }

    /** Conf-change entries among those seen committed. */
    long committedConfChanges() {
        long n = 0;
        for (Committed c : committed) {
            if (c != null && c.entry().isConfChange()) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- leader completeness

    /**
     * Leader Completeness (Raft paper §5.4): an entry committed in term t is in the log of
     * every leader of a term above t. Checked incrementally: each entry once per leader term.
     * Entries the leader has compacted away are covered by its snapshot and not checked here.
     */
    void checkLeaderCompleteness(long id, long leaderTerm, LogView log) {
        LeaderCursor cur = leaderCursors.computeIfAbsent(id, k -> new LeaderCursor());
        if (cur.term != leaderTerm) {
            cur.term = leaderTerm;
            cur.checkedUpTo = 0;
        }
        if (cur.checkedUpTo >= maxCommittedIndex) {
            return;
        }
        long from = Math.max(cur.checkedUpTo + 1, log.firstIndex() - 1);
        for (long i = from; i <= maxCommittedIndex; i++) {
            Committed c = committedAt(i);
            if (c == null || c.commitTerm() >= leaderTerm) {
                continue;
            }
            if (i > log.lastIndex() || log.term(i) != c.entry().term()) {
                throw new InvariantViolation("leader completeness: " + c.entry() + " was committed in term "
                        + c.commitTerm() + " but leader " + id + " of term " + leaderTerm + " has "
                        + (i > log.lastIndex() ? "no entry" : "term " + log.term(i)) + " at " + i);
            }
        }
        cur.checkedUpTo = maxCommittedIndex;
    }

    // ---------------------------------------------------------------- commit and durability

    /**
     * A leader commits only what a quorum has made durable (Raft paper §5.3; the leader counts
     * itself only once its own write is synced): at the moment the leader's commit index moved
     * to {@code commit}, a quorum of the voters it used (both halves of a joint configuration)
     * must hold {@code (commit, entryTerm)} in durable storage.
     */
    void checkCommitWithinPersistedQuorum(long leader, SimulatedHost.CommitPoint p, DurableLog durable) {
        VoteResult r = p.voters().voteResult(v -> durable.holds(v, p.commit(), p.entryTerm())
                ? VoteLookup.GRANTED : VoteLookup.REJECTED);
        if (r != VoteResult.WON) {
            throw new InvariantViolation("commit never exceeds what a quorum persisted: leader " + leader + " of term "
                    + p.term() + " committed " + p.entryTerm() + "/" + p.commit() + " but voters " + p.voters()
                    + " do not durably hold it by a quorum");
        }
    }

    /**
     * Votes are durable before anyone relies on them (Raft paper §5.1, Figure 2): a granted
     * vote, and a candidate's request (which carries its own vote), leave a node only once the
     * node can never vote otherwise in that term, even after a crash: its durable hard state
     * holds that term and that vote, or already a later term (it moved on before the message
     * left, and can never act in the old term again).
     */
    void checkVotesDurableBeforeSent(HardState durable, Message m) {
        long voteFor;
        if (m.type() == MessageType.VOTE_RESPONSE && !m.reject()) {
            voteFor = m.to();
        } else if (m.type() == MessageType.VOTE) {
            voteFor = m.from();
        } else {
            return;
        }
        if (durable.term() < m.term() || (durable.term() == m.term() && durable.vote() != voteFor)) {
            throw new InvariantViolation("votes are durable before sent: " + m + " left " + m.from()
                    + " whose durable hard state is " + durable);
        }
    }

    /**
     * One vote per term (Raft paper §5.2): over the whole run, including restarts, a replica
     * grants (or, as a candidate, casts for itself) at most one vote in each term.
     */
    void checkAtMostOneVotePerTerm(Message m) {
        long voter;
        long candidate;
        if (m.type() == MessageType.VOTE_RESPONSE && !m.reject()) {
            voter = m.from();
            candidate = m.to();
        } else if (m.type() == MessageType.VOTE) {
            voter = m.from();
            candidate = m.from();
        } else {
            return;
        }
        Long prev = votes.putIfAbsent(new VoteKey(voter, m.term()), candidate);
        if (prev != null && prev != candidate) {
            throw new InvariantViolation("at most one vote per term: " + voter + " voted for " + prev + " and for "
                    + candidate + " in term " + m.term());
        }
    }

    /**
     * Terms and commit indexes never go back. Precisely, for each replica: (1) while it runs
     * (one incarnation) its term and commit index never decrease; (2) its durable term and
     * durable commit (what a restart comes back with) never decrease over the whole run;
     * (3) it always runs at or above its durable term and commit; (4) right after a restart it
     * runs at exactly its durable term and at least its durable commit.
     */
    void checkTermAndCommitNeverGoBack(long id, int incarnation, long term, long commit, long durableTerm,
                                       long durableCommit) {
        ReplicaRecord r = replicas.get(id);
        if (term < durableTerm || commit < durableCommit) {
            throw new InvariantViolation("terms and commits never go back: replica " + id + " runs at term " + term
                    + " commit " + commit + " below its durable term " + durableTerm + " commit " + durableCommit);
        }
        if (r != null) {
            if (durableTerm < r.durableTerm || durableCommit < r.durableCommit) {
                throw new InvariantViolation("terms and commits never go back: replica " + id + " durable term/commit "
                        + durableTerm + "/" + durableCommit + " after " + r.durableTerm + "/" + r.durableCommit);
            }
            if (incarnation == r.incarnation && (term < r.term || commit < r.commit)) {
                throw new InvariantViolation("terms and commits never go back: replica " + id + " went from term/commit "
                        + r.term + "/" + r.commit + " to " + term + "/" + commit);
            }
            if (incarnation != r.incarnation && term != durableTerm) {
                throw new InvariantViolation("terms and commits never go back: replica " + id + " restarted at term "
                        + term + " but its durable term is " + durableTerm);
            }
        } else {
            r = new ReplicaRecord();
            replicas.put(id, r);
        }
        r.incarnation = incarnation;
        r.term = term;
        r.commit = commit;
        r.durableTerm = durableTerm;
        r.durableCommit = durableCommit;
        maxCommitSeen = Math.max(maxCommitSeen, commit);
    }

    // ---------------------------------------------------------------- applied prefixes

    /**
     * State Machine Safety (Raft paper §5.4.3): every replica's applied sequence is a prefix of
     * one global sequence. A replica applies indexes one after another, from the state it
     * (re)started at; each applied entry and the state digest after it must match what any
     * other replica had at that index. {@code entry == null} means the state machine was
     * reset to the state at {@code index} (start, restart or snapshot) with {@code digest}.
     */
    void checkAppliedPrefixesAgree(long id, long index, Entry entry, long digest) {
        AppliedCursor cur = appliedCursors.computeIfAbsent(id, k -> new AppliedCursor());
        if (entry == null) {
            Long known = index < appliedDigests.size() ? appliedDigests.get((int) index) : null;
            if (known != null && known != digest) {
                throw new InvariantViolation("applied prefixes agree: replica " + id + " restored the state at " + index
                        + " with digest " + digest + " but the state there is " + known);
            }
            if (known == null) {
                setApplied(index, null, digest);
            }
            cur.index = index;
            return;
        }
        if (index != cur.index + 1 || entry.index() != index) {
            throw new InvariantViolation("applied prefixes agree: replica " + id + " applied " + entry + " at " + index
                    + " right after " + cur.index);
        }
        Entry known = index < appliedEntries.size() ? appliedEntries.get((int) index) : null;
        Long knownDigest = index < appliedDigests.size() ? appliedDigests.get((int) index) : null;
        if (known == null && (knownDigest == null || knownDigest == digest)) {
            setApplied(index, entry, digest); // first time anyone applies this index (a snapshot may have covered it)
        } else if (known == null || (known != entry && !known.equals(entry)) || knownDigest != digest) {
            throw new InvariantViolation("applied prefixes agree: replica " + id + " applied " + entry + " at " + index
                    + " but " + known + " was applied there before");
        }
        cur.index = index;
    }

    private void setApplied(long index, Entry entry, long digest) {
        while (appliedEntries.size() <= index) {
            appliedEntries.add(null);
            appliedDigests.add(null);
        }
        appliedEntries.set((int) index, entry);
        appliedDigests.set((int) index, digest);
    }

    // ---------------------------------------------------------------- reads

    /** Notes a ReadIndex request: its answer must cover every commit acknowledged so far. */
    void readRequested(byte[] context) {
        readFloors.put(new String(context, StandardCharsets.UTF_8), maxCommitSeen);
    }

    /**
     * Linearizable reads (thesis §6.4): a ReadIndex answer is at least every commit index any
     * replica had reached (and so could have acknowledged) when the read was requested.
     */
    void checkReadIndexCoversAckedCommits(long id, ReadState rs) {
        String ctx = new String(rs.context(), StandardCharsets.UTF_8);
        Long floor = readFloors.get(ctx);
        if (floor == null) {
            throw new InvariantViolation("read index covers acknowledged commits: replica " + id
                    + " got an answer to a read nobody asked: " + rs);
        }
        if (rs.index() < floor) {
            throw new InvariantViolation("read index covers acknowledged commits: replica " + id + " got " + rs
                    + " but index " + floor + " was committed before the read was requested");
        }
    }
}
