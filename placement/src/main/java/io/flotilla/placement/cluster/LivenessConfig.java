package io.flotilla.placement.cluster;

/**
 * How heartbeat age turns into liveness: silent longer than {@code suspectAfterMillis} is
 * SUSPECT, longer than {@code deadAfterMillis} is DEAD.
 */
public record LivenessConfig(long suspectAfterMillis, long deadAfterMillis) {

    public LivenessConfig {
        if (suspectAfterMillis <= 0 || deadAfterMillis < suspectAfterMillis) {
            throw new IllegalArgumentException("need 0 < suspectAfterMillis <= deadAfterMillis, got "
                    + suspectAfterMillis + " and " + deadAfterMillis);
        }
    }

    /** Heartbeats every few seconds: suspect after 10 s of silence, dead after 60 s. */
    public static LivenessConfig defaults() {
        return new LivenessConfig(10_000, 60_000);
    }

    NodeState stateFor(long lastHeartbeatMillis, long nowMillis) {
        if (lastHeartbeatMillis == NodeInfo.NEVER) {
            return NodeState.DEAD;
        }
        long silence = nowMillis - lastHeartbeatMillis;
        if (silence > deadAfterMillis) {
            return NodeState.DEAD;
        }
        return silence > suspectAfterMillis ? NodeState.SUSPECT : NodeState.UP;
    }
}
