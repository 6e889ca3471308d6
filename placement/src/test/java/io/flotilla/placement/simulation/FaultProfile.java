package io.flotilla.placement.simulation;

/**
 * How the simulated cluster misbehaves when asked to change a range.
 *
 * @param failureRate    share of actions that fail (as a refused proposal would)
 * @param hangRate       share of actions that never answer, so the controller must time them out
 * @param maxDelayRounds an action takes effect 1..maxDelayRounds rounds after it is asked for
 */
record FaultProfile(double failureRate, double hangRate, int maxDelayRounds) {

    static final FaultProfile NONE = new FaultProfile(0, 0, 1);

    FaultProfile {
        if (failureRate < 0 || hangRate < 0 || failureRate + hangRate >= 1 || maxDelayRounds < 1) {
            throw new IllegalArgumentException("bad fault profile");
        }
    }
}
