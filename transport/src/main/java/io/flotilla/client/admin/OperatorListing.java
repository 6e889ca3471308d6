package io.flotilla.client.admin;

import java.util.List;

/** The placement driver's operators (running first, then recently finished), whether it is paused, and where it runs. */
public record OperatorListing(List<OperatorView> operators, boolean paused, long driverNodeId) {
    public OperatorListing {
        operators = List.copyOf(operators);
    }
}
