package io.flotilla.engine.simulation;

import io.flotilla.engine.GroupStateMachine;
import io.flotilla.engine.LocalCluster;
import io.flotilla.engine.NodeEngine;
import io.flotilla.engine.NodeEngine.GroupInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs every safety check over a {@link LocalCluster} after each event: it reads each live
 * replica's {@link GroupInfo} and the entries its recorder applied since the last event, and
 * takes the acknowledgements the event produced.
 */
final class ClusterInvariants {
    private final LocalCluster cluster;
    private final Placement placement;
    /** The current incarnation's recorder, by [group][node]. */
    private final ReplicaRecorder[][] current;
    private final LeaderPerTermCheck leaders = new LeaderPerTermCheck();
    private final ReplicaProgressCheck progress = new ReplicaProgressCheck();
    private final AppliedSequenceCheck sequences = new AppliedSequenceCheck();
    private final AcknowledgedWritesCheck acks = new AcknowledgedWritesCheck();
    private final LinearizableReadCheck reads = new LinearizableReadCheck();
    private final List<Ack> newAcks = new ArrayList<>();
    private final List<Read> newReads = new ArrayList<>();

    private record Ack(long group, long node, long index, String data) {
    }

    private record Read(long group, long node, long index, long floor, long appliedThere) {
    }

    ClusterInvariants(LocalCluster cluster, Placement placement) {
        this.cluster = cluster;
        this.placement = placement;
        this.current = new ReplicaRecorder[placement.groups() + 1][cluster.nodes().size() + 1];
    }

    /** A fresh recorder for a new incarnation of a replica: pass it to the engine. */
    GroupStateMachine newRecorder(long group, long node) {
        ReplicaRecorder r = new ReplicaRecorder(group, node);
        current[(int) group][(int) node] = r;
        return r;
    }

    ReplicaRecorder recorder(long group, long node) {
        return current[(int) group][(int) node];
    }

    /** A proposal's future completed with {@code index} on {@code node}; checked at the next event's end. */
    void acknowledged(long group, long node, long index, String data) {
        newAcks.add(new Ack(group, node, index, data));
    }

    /** The floor a read issued now must reach: the group's highest acknowledged index. */
    long readFloor(long group) {
        return acks.highestAcknowledged(group);
    }

    /** A read issued with {@code floor} completed with {@code index} on {@code node}; checked at the event's end. */
    void readCompleted(long group, long node, long index, long floor) {
        newReads.add(new Read(group, node, index, floor, recorder(group, node).lastIndex()));
    }

    /** Everything that must hold after any event. */
    void afterEvent() {
        for (Map.Entry<Long, NodeEngine> e : cluster.nodes().entrySet()) {
            long node = e.getKey();
            if (!cluster.isAlive(node)) {
                continue;
            }
            for (long group : placement.groupsOn(node)) {
                GroupInfo info = e.getValue().info(group);
                leaders.observe(info);
                progress.observe(node, info);
                ReplicaRecorder r = recorder(group, node);
                int from = r.checked();
                sequences.catchUp(r);
                for (int pos = from; pos < r.size(); pos++) {
                    acks.applied(group, node, r.get(pos));
                }
                if (info.applied() != r.lastIndex()) {
                    throw new InvariantViolation("group " + group + " on node " + node + " reports applied "
                            + info.applied() + " but its state machine got entries up to " + r.lastIndex());
                }
            }
        }
        for (Ack a : newAcks) {
            acks.acknowledged(a.group(), a.index(), a.data(), recorder(a.group(), a.node()),
                    sequences.at(a.group(), a.index()));
        }
        newAcks.clear();
        for (Read r : newReads) {
            reads.completed(r.group(), r.node(), r.index(), r.floor(), r.appliedThere());
        }
        newReads.clear();
    }

    /**
     * Node {@code node} was just killed, between events or (power failure in a sync) during
     * the last one: remember what its store kept durable.
     */
    void killed(long node, boolean betweenEvents) {
        for (long group : placement.groupsOn(node)) {
            long durable = cluster.store(node).storage(group).initialHardState().commit();
            progress.crashed(group, node, durable, betweenEvents);
        }
    }

    /** After healing: no acknowledged write is missing from any replica. */
    void nothingLost() {
        for (long g = 1; g <= placement.groups(); g++) {
            for (long n : placement.nodesOf(g)) {
                acks.nothingLost(recorder(g, n));
            }
        }
    }

    long leaderships() {
        return leaders.leaderships();
    }

    long acknowledgements() {
        return acks.count();
    }

    long reads() {
        return reads.count();
    }

    long entriesChecked() {
        return sequences.entriesChecked();
    }

    /** A digest of every group's agreed sequence: two replays of a seed must match it exactly. */
    long digest() {
        long h = 17;
        for (long g = 1; g <= placement.groups(); g++) {
            for (AppliedEntry e : sequences.sequence(g)) {
                h = 31 * h + e.hashCode();
            }
        }
        return h;
    }
}
