package io.flotilla.raft.simulation;

import io.flotilla.raft.message.Message;
import io.flotilla.raft.message.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A seeded, hostile network. Each message may be dropped, duplicated or delayed (it becomes
 * deliverable only some events after it was sent); a delivery may pick any deliverable
 * message, which reorders them; and a partition splits the nodes into two sides that cannot
 * talk. A partition applies both when a message is sent and when it would be delivered, so
 * messages caught in flight are lost too. Time is the simulation's event counter.
 */
final class SimulationNetwork {
    /** A message on the wire and the first event at which it may arrive. */
    record InFlight(Message message, long deliverAt) {
    }

    /** What a delivery attempt produced: the message, and whether the network ate it. */
    record Delivery(Message message, boolean lost) {
    }

    private final SplittableRandom rng;
    private final List<InFlight> inFlight = new ArrayList<>();
    private double dropRate;
    private double duplicateRate;
    private double reorderRate;
    private int maxDelay;
    /** One side of the current partition; empty when there is none. */
    private final TreeSet<Long> sideA = new TreeSet<>();

    private long sent;
    private long dropped;
    private long duplicated;

    SimulationNetwork(SplittableRandom rng, SimulationParameters p) {
        this.rng = rng;
        this.dropRate = p.dropRate();
        this.duplicateRate = p.duplicateRate();
        this.reorderRate = p.reorderRate();
        this.maxDelay = p.maxDelay();
    }

    void send(Message m, long now) {
        sent++;
        if (m.type().isLocal()) {
            enqueue(m, now); // a transport notice to the sender: never lost
            return;
        }
        if (cut(m.from(), m.to()) || chance(dropRate)) {
            dropped++;
            failed(m, now);
            return;
        }
        enqueue(m, now);
        if (chance(duplicateRate)) {
            duplicated++;
            enqueue(m, now);
        }
    }

    private void enqueue(Message m, long now) {
        long delay = maxDelay == 0 ? 0 : rng.nextInt(maxDelay + 1);
        inFlight.add(new InFlight(m, now + delay));
    }

    boolean hasDeliverable(long now) {
        for (InFlight f : inFlight) {
            if (f.deliverAt() <= now) {
                return true;
            }
        }
        return false;
    }

    /** Takes one deliverable message (the oldest, or with reorderRate any), or null if none. */
    Delivery next(long now) {
        int chosen = -1;
        int eligible = 0;
        boolean reorder = chance(reorderRate);
        for (int i = 0; i < inFlight.size(); i++) {
            if (inFlight.get(i).deliverAt() > now) {
                continue;
            }
            eligible++;
            if (chosen < 0) {
                chosen = i;
                if (!reorder) {
                    break;
                }
            } else if (rng.nextInt(eligible) == 0) {
                chosen = i; // reservoir sampling: every eligible message equally likely
            }
        }
        if (chosen < 0) {
            return null;
        }
        Message m = inFlight.remove(chosen).message();
        boolean lost = !m.type().isLocal() && cut(m.from(), m.to());
        if (lost) {
            dropped++;
            failed(m, now);
        }
        return new Delivery(m, lost);
    }

    /**
     * The transport's feedback on a message it could not deliver, as a real one gives it: a
     * snapshot stream that failed is reported to the sender (without that, the leader would
     * wait for the snapshot forever, as etcd/raft's would), and a broken connection sometimes
     * shows up as the peer being unreachable.
     */
    void failed(Message m, long now) {
        if (m.type() == MessageType.SNAPSHOT) {
            enqueue(notice(MessageType.SNAPSHOT_STATUS, m).reject(true).build(), now);
        } else if (m.type() == MessageType.APPEND && chance(0.25)) {
            enqueue(notice(MessageType.UNREACHABLE, m).build(), now);
        }
    }

    /** A snapshot arrived: the transport tells the sender it finished. */
    void delivered(Message m, long now) {
        if (m.type() == MessageType.SNAPSHOT) {
            enqueue(notice(MessageType.SNAPSHOT_STATUS, m).build(), now);
        }
    }

    private static Message.Builder notice(MessageType type, Message about) {
        return Message.builder(type).from(about.to()).to(about.from());
    }

    int inFlightCount() {
        return inFlight.size();
    }

    // ---------------------------------------------------------------- partitions

    /** Splits the nodes into {@code side} and everyone else. */
    void partition(java.util.Collection<Long> side) {
        sideA.clear();
        sideA.addAll(side);
    }

    void healPartition() {
        sideA.clear();
    }

    boolean partitioned() {
        return !sideA.isEmpty();
    }

    TreeSet<Long> partitionSide() {
        return sideA;
    }

    private boolean cut(long from, long to) {
        return !sideA.isEmpty() && sideA.contains(from) != sideA.contains(to);
    }

    /** Ends all faults: no loss, duplication, reordering, delay or partition from now on. */
    void heal() {
        dropRate = 0;
        duplicateRate = 0;
        reorderRate = 0;
        maxDelay = 0;
        sideA.clear();
    }

    private boolean chance(double p) {
        return p > 0 && rng.nextDouble() < p;
    }

    long sent() {
        return sent;
    }

    long dropped() {
        return dropped;
    }

    long duplicated() {
        return duplicated;
    }
}
