package io.flotilla.engine;

import io.flotilla.raft.StateRole;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What this node does when a peer node is declared dead. The clock only notes the death; the
 * workers walk the groups a slice at a time ({@link NodeDeathSweep}), judging each from what it
 * last published, and wake only those that must act:
 * <ul>
 *   <li>a group whose leader was on the dead node gives it up (and so does one already
 *       campaigning with a replica there: its survivors' own timers may have fired first and
 *       split the vote, which would otherwise wait for random timeouts); one survivor per group — the
 *       lowest voter on a live node, which every survivor computes alike — campaigns at a tick
 *       spread over a window ({@link EngineConfig#campaignStaggerTicks()}), so thousands of
 *       groups do not all vote in the same tick, and the other survivors hold their election
 *       clocks until an election timeout after that, so their own timers do not split the vote
 *       (they remain the fallback: see {@link LeaderLossPlan});</li>
 *   <li>a quiesced leader here whose live voters no longer make a quorum wakes, so
 *       check-quorum can depose it.</li>
 * </ul>
 * A quiesced leader that keeps a live quorum stays asleep: the dead replica holds nothing it
 * lacks. Nothing is woken when a node comes back: a quiesced leader has no lagging replica by
 * construction (it quiesces only when every member holds its whole log), and a restarted
 * replica's own campaign reaches and wakes its leader.
 */
final class PeerDeaths {
    private final EngineConfig config;
    private final NodeLiveness liveness;
    private final EngineMetrics metrics;
    private final Supplier<Group[]> groups;
    /** Runs an action on a group's worker (which wakes the group). */
    private final BiConsumer<Group, Consumer<Group>> command;
    /** Deaths whose walk has not started. */
    private final ConcurrentLinkedQueue<long[]> declared = new ConcurrentLinkedQueue<>();
    private volatile NodeDeathSweep sweep;

    PeerDeaths(EngineConfig config, NodeLiveness liveness, EngineMetrics metrics, Supplier<Group[]> groups,
               BiConsumer<Group, Consumer<Group>> command) {
        this.config = config;
        this.liveness = liveness;
        this.metrics = metrics;
        this.groups = groups;
        this.command = command;
    }

    /** Node {@code node} was declared dead at engine tick {@code tick}; the workers will act on it. */
    void declared(long node, long tick) {
        declared.add(new long[] {node, tick});
    }

    boolean hasWork() {
        NodeDeathSweep s = sweep;
        return !declared.isEmpty() || (s != null && !s.exhausted());
    }

    /** Judges one slice of the pending walk; returns how many groups it judged. */
    int runSlice() {
        NodeDeathSweep s = sweep;
        if (s == null || s.exhausted()) {
            if (declared.isEmpty()) {
                return 0;
            }
            synchronized (declared) {
                s = sweep;
                if (s == null || s.exhausted()) {
                    long[] d = declared.poll();
                    if (d == null) {
                        return 0;
                    }
                    s = new NodeDeathSweep(d[0], d[1], groups.get());
                    sweep = s;
                }
            }
        }
        int start = s.claim();
        if (start < 0) {
            return 0;
        }
        int end = s.end(start);
        for (int i = start; i < end; i++) {
            judge(s, s.group(i));
        }
        metrics.deathSweepGroups.add(end - start);
        return end - start;
    }

    private void judge(NodeDeathSweep s, Group g) {
        NodeEngine.GroupInfo seen = g.info();
        if (seen == null || g.removed) {
            return;
        }
        long dead = s.deadNode;
        boolean leaderThere = seen.leaderNode() == dead && seen.role() != StateRole.LEADER;
        boolean campaigning = seen.role() != StateRole.LEADER && seen.role() != StateRole.FOLLOWER
                && g.routes.hasReplicaOn(dead);
        if ((leaderThere || campaigning) && !liveness.isLive(dead)) {
            long at = s.diedAt + staggerDelay(g.groupId, s.diedAt);
            command.accept(g, x -> {
                // Judged on what was published: act only if that still holds. And only while the
                // node is still dead: the walk may reach this group after the node came back and
                // its leader was answered again, which renewed that leader's lease; forgetting
                // the leader then would let a vote through inside the lease (a stale lease read).
                StateRole role = x.node.raft().role();
                if (liveness.isLive(dead) || role == StateRole.LEADER
                        || (role == StateRole.FOLLOWER && x.nodeOf(x.node.raft().lead()) != dead)) {
                    return;
                }
                if (!x.node.raft().tracker().config().voters().contains(x.replicaId)) {
                    // A learner cannot campaign: forgetting its leader would leave it leaderless
                    // until the next write, since a leader that kept its quorum stays asleep.
                    return;
                }
                x.node.forgetLeader();
                long term = x.node.raft().term();
                x.leaderLoss = designatedCampaigner(x) == x.replicaId
                        ? LeaderLossPlan.campaign(at, term, config.electionTick())
                        : LeaderLossPlan.hold(at + config.electionTick(), term);
            });
        } else if (g.quiesced && seen.role() == StateRole.LEADER && g.routes.hasReplicaOn(dead)
                && !liveness.quorumLive(g.voters, g.routes)) {
            command.accept(g, x -> { });
        }
    }

    /** Ticks after a death at which group {@code groupId} campaigns: 1 to the stagger window, spread by a hash. */
    private long staggerDelay(long groupId, long diedAt) {
        int window = config.campaignStaggerTicks();
        return 1 + (window == 0 ? 0 : Math.floorMod(NodeEngine.mix(config.seed(), groupId, diedAt), window));
    }

    private long designatedCampaigner(Group g) {
        for (long voter : g.node.raft().tracker().config().voters().ids()) {
            if (liveness.isLive(g.nodeOf(voter))) {
                return voter;
            }
        }
        return 0;
    }
}
