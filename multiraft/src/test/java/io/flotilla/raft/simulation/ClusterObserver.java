package io.flotilla.raft.simulation;

import io.flotilla.raft.Raft;
import io.flotilla.raft.ReadState;
import io.flotilla.raft.StateRole;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Message;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the replicas after every event and feeds what it sees to the {@link InvariantChecker}.
 * Cheap checks look at every replica every time; the log scan (log matching) looks only at
 * the replicas the event touched, since no other log can have changed.
 */
final class ClusterObserver {
    private final InvariantChecker checker;
    private final Map<Long, SimulatedHost> hosts;
    /** Per host: the incarnation and commit index last seen, to find newly committed entries. */
    private final Map<Long, long[]> seenCommit = new HashMap<>();
    private long readsChecked;
    private byte[] watched;
    private long watchedIndex;

    ClusterObserver(InvariantChecker checker, Map<Long, SimulatedHost> hosts) {
        this.checker = checker;
        this.hosts = hosts;
    }

    /** Checks a message as it leaves {@code from}: votes must be durable and unique per term. */
    void onSend(SimulatedHost from, Message m) {
        checker.checkVotesDurableBeforeSent(from.durableHardState(), m);
        checker.checkAtMostOneVotePerTerm(m);
    }

    /** Looks out for an applied entry carrying {@code data}; see {@link #watchedIndex()}. */
    void watchFor(byte[] data) {
        watched = data;
        watchedIndex = 0;
    }

    /** The index at which the watched data was first applied, or 0. */
    long watchedIndex() {
        return watchedIndex;
    }

    long readsChecked() {
        return readsChecked;
    }

    /** Runs every check against the state after an event that changed {@code touched}. */
    void observe(Collection<SimulatedHost> touched) {
        for (SimulatedHost h : hosts.values()) {
            if (!h.alive()) {
                continue;
            }
            Raft r = h.node().raft();
            checker.checkAtMostOneLeaderPerTerm(h.id(), h.incarnation(), r.role(), r.term());
            checker.checkTermAndCommitNeverGoBack(h.id(), h.incarnation(), r.term(), r.log().committed(),
                    h.durableHardState().term(), h.durableCommit());
            observeCommits(h, r);
        }
        for (SimulatedHost h : touched) {
            if (h.alive()) {
                Raft r = h.node().raft();
                checker.checkLogMatching(h.id(), r.log().term(r.log().firstIndex() - 1), r.log().allEntries());
            }
        }
        for (SimulatedHost h : hosts.values()) {
            if (h.alive() && h.node().raft().role() == StateRole.LEADER) {
                checker.checkLeaderCompleteness(h.id(), h.node().raft().term(), LogView.of(h.node().raft().log()));
            }
        }
        for (SimulatedHost h : hosts.values()) {
            for (SimulatedHost.CommitPoint p : h.drainCommitPoints()) {
                checker.checkCommitWithinPersistedQuorum(h.id(), p, (voter, index, term) -> {
                    SimulatedHost v = hosts.get(voter);
                    return v != null && v.durablyHolds(index, term);
                });
            }
            for (SimulatedHost.Applied a : h.drainApplied()) {
                checker.checkAppliedPrefixesAgree(h.id(), a.index(), a.entry(), a.digest());
                if (watched != null && watchedIndex == 0 && a.entry() != null
                        && Arrays.equals(a.entry().data(), watched)) {
                    watchedIndex = a.index();
                }
            }
            for (ReadState rs : h.drainReadStates()) {
                checker.checkReadIndexCoversAckedCommits(h.id(), rs);
                readsChecked++;
            }
        }
    }

    /** Feeds entries a replica newly counts as committed to the committed-entry checks. */
    private void observeCommits(SimulatedHost h, Raft r) {
        long[] seen = seenCommit.computeIfAbsent(h.id(), k -> new long[] {-1, 0});
        if (seen[0] != h.incarnation()) {
            seen[0] = h.incarnation();
            seen[1] = 0; // a restarted replica's whole committed log is checked again
        }
        long commit = r.log().committed();
        if (commit <= seen[1]) {
            return;
        }
        long first = r.log().firstIndex();
        if (first - 1 > seen[1]) {
            checker.checkCommittedTermNeverChanges(h.id(), first - 1, r.log().term(first - 1));
        }
        long lo = Math.max(seen[1] + 1, first);
        if (lo <= commit) {
            List<Entry> ents = r.log().slice(lo, commit + 1, Long.MAX_VALUE);
            checker.checkCommittedEntriesNeverChange(h.id(), r.term(), ents);
        }
        seen[1] = commit;
    }
}
