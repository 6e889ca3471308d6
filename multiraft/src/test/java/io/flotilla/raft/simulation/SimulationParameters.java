package io.flotilla.raft.simulation;

import java.util.SplittableRandom;

/**
 * Everything one run varies, drawn from its seed: the cluster shape, the Raft settings, how
 * hostile the network and the hosts are, and how often each kind of event happens. Drawing
 * the fault rates per seed (rather than fixing them) makes some runs calm and some brutal.
 *
 * @param initialVoters        voters 1..n that bootstrap the group (3 to 7)
 * @param poolSize             ids 1..poolSize may ever be members (at most 7)
 * @param chaosEvents          events in the faulty phase
 * @param electionTick         the Raft election tick
 * @param heartbeatTick        the Raft heartbeat tick
 * @param preVote              Raft pre-vote setting
 * @param checkQuorum          Raft check-quorum setting
 * @param maxInflightMsgs      appends in flight per follower
 * @param maxSizePerMsg        entry bytes per append
 * @param maxUncommittedBytes  the leader's uncommitted-bytes limit (0 = none)
 * @param dropRate             chance a message is lost
 * @param duplicateRate        chance a message is delivered twice
 * @param reorderRate          chance a delivery picks a random ready message instead of the oldest
 * @param maxDelay             a message becomes deliverable up to this many events after it is sent
 * @param syncEveryReady       hosts sync even Readys that do not require it
 * @param priorities           replicas get random election priorities (0 to 2) instead of all 0
 * @param weights              how often each kind of event is picked
 */
record SimulationParameters(int initialVoters, int poolSize, int chaosEvents, int electionTick, int heartbeatTick,
                            boolean preVote, boolean checkQuorum, int maxInflightMsgs, long maxSizePerMsg,
                            long maxUncommittedBytes, double dropRate, double duplicateRate, double reorderRate,
                            int maxDelay, boolean syncEveryReady, boolean priorities, EventWeights weights) {

    /** The most ids a run may use: the pool of up to 7. */
    static final int MAX_POOL = 7;

    static SimulationParameters draw(SplittableRandom rng, int chaosEvents) {
        int voters = 3 + rng.nextInt(5);
        int pool = voters + rng.nextInt(MAX_POOL - voters + 1);
        boolean calm = rng.nextInt(5) == 0; // some runs barely lose anything
        return new SimulationParameters(
                voters,
                pool,
                chaosEvents,
                6 + rng.nextInt(7),
                1 + rng.nextInt(3),
                rng.nextInt(4) != 0,
                rng.nextInt(4) != 0,
                1 + rng.nextInt(8),
                rng.nextBoolean() ? 256 : 1 << 20,
                rng.nextInt(4) == 0 ? 512 : 0,
                calm ? 0 : rng.nextDouble() * 0.2,
                calm ? 0 : rng.nextDouble() * 0.1,
                rng.nextDouble() * 0.5,
                rng.nextInt(4) == 0 ? 0 : rng.nextInt(30),
                rng.nextBoolean(),
                rng.nextInt(4) == 0,
                EventWeights.draw(rng));
    }

    /**
     * Relative frequencies of the event kinds. Deliveries and Ready handling dominate so that
     * the protocol makes progress between the faults.
     */
    record EventWeights(int deliver, int ready, int tickAll, int tickOne, int propose, int readIndex, int confChange,
                        int transfer, int compact, int crash, int restart, int partition, int heal) {

        static EventWeights draw(SplittableRandom rng) {
            return new EventWeights(
                    60,
                    45,
                    3 + rng.nextInt(4),
                    1 + rng.nextInt(3),
                    4 + rng.nextInt(8),
                    1 + rng.nextInt(3),
                    rng.nextInt(3),
                    rng.nextInt(2),
                    1 + rng.nextInt(2),
                    rng.nextInt(3) == 0 ? 0 : 1,
                    3,
                    rng.nextInt(3) == 0 ? 0 : 1,
                    2);
        }
    }
}
