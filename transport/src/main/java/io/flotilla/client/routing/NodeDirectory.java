package io.flotilla.client.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes the client knows how to reach: the seeds it was given and every node id to address
 * pair learned from the cluster since (Locate answers, leader hints). Range descriptors name
 * replicas by node id only, so this is how a replica becomes an address.
 */
public final class NodeDirectory {
    private final List<String> seeds;
    private final ConcurrentHashMap<Long, String> addresses = new ConcurrentHashMap<>();

    public NodeDirectory(List<String> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed address is needed");
        }
        this.seeds = List.copyOf(new LinkedHashSet<>(seeds));
    }

    public void learn(long nodeId, String address) {
        if (nodeId != 0 && address != null && !address.isEmpty()) {
            addresses.put(nodeId, address);
        }
    }

    public Optional<String> address(long nodeId) {
        return Optional.ofNullable(addresses.get(nodeId));
    }

    /** Every known address, seeds first, without duplicates. */
    public List<String> allAddresses() {
        Set<String> all = new LinkedHashSet<>(seeds);
        all.addAll(addresses.values());
        return new ArrayList<>(all);
    }

    public List<String> seeds() {
        return seeds;
    }
}
