package io.flotilla.bench.load.cluster;

/** No node of the cluster answered (or no range got a leader) in time: exit code 4, as the CLI's. */
public final class ClusterUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
