package io.flotilla.store.cli;

import io.flotilla.client.error.FlotillaException;

/**
 * The CLI's exit codes, so scripts can tell "the cluster said no" from "the cluster is not
 * there": 0 done; 1 refused by the cluster (a typed error); 2 a bad command line or input the
 * cluster refused as invalid (an empty key, a split key not inside a range); 3 the key,
 * range or node named does not exist; 4 no node answered in time.
 */
final class ExitCodes {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int UNAVAILABLE = 4;

    private ExitCodes() {
    }

    static int of(FlotillaException e) {
        if (e instanceof FlotillaException.NodeUnavailable || e instanceof FlotillaException.DeadlineExceeded) {
            return UNAVAILABLE;
        }
        if (e instanceof FlotillaException.RangeNotFound || e instanceof FlotillaException.NodeNotFound) {
            return NOT_FOUND;
        }
        if (e instanceof FlotillaException.InvalidArgument) {
            return USAGE;
        }
        return REFUSED;
    }
}
