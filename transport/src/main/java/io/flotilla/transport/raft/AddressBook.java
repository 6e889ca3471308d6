package io.flotilla.transport.raft;

import io.flotilla.transport.proto.NodeAddress;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where each node's gRPC server listens: node id to "host:port". Thread-safe. Nodes learn one
 * another's addresses from the Hello that opens every stream.
 *
 * <p>A node's own word about its address ({@link #put}) overrides what the book held; hearsay
 * ({@link #merge}, the addresses a Hello passes on) only fills in nodes the book does not know,
 * so a stale address gossiped by a third node cannot replace one learned first-hand. A wrong
 * address is never a safety problem: the Hello names the node it means to reach and the
 * receiver refuses one that is not for it.</p>
 */
public final class AddressBook {

    /** Told about every address added or changed, on the thread that changed it. */
    @FunctionalInterface
    public interface Listener {
        void addressChanged(long nodeId, String address);
    }

    private final Map<Long, String> addresses = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Sets {@code nodeId}'s address. Returns whether it changed.
     *
     * @throws IllegalArgumentException for a non-positive id or an address that is not host:port
     */
    public boolean put(long nodeId, String address) {
        validate(nodeId, address);
        String before = addresses.put(nodeId, address);
        if (address.equals(before)) {
            return false;
        }
        notifyListeners(nodeId, address);
        return true;
    }

    /** The node's address, or null when unknown. */
    public String get(long nodeId) {
        return addresses.get(nodeId);
    }

    /** A copy of every known address, ordered by node id. */
    public Map<Long, String> all() {
        return new TreeMap<>(addresses);
    }

    /**
     * Adds the addresses of nodes not yet known; known ones keep theirs (see the class comment).
     * All entries are checked before any is added, so a bad list changes nothing. Returns how
     * many were added.
     *
     * @throws IllegalArgumentException if any entry has a non-positive id or a malformed address
     */
    public int merge(List<NodeAddress> known) {
        for (NodeAddress a : known) {
            validate(a.getNodeId(), a.getAddress());
        }
        int added = 0;
        for (NodeAddress a : known) {
            if (addresses.putIfAbsent(a.getNodeId(), a.getAddress()) == null) {
                added++;
                notifyListeners(a.getNodeId(), a.getAddress());
            }
        }
        return added;
    }

    /** The book as Hello entries, for passing on. */
    public List<NodeAddress> toNodeAddresses() {
        return all().entrySet().stream()
                .map(e -> NodeAddress.newBuilder().setNodeId(e.getKey()).setAddress(e.getValue()).build())
                .toList();
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void notifyListeners(long nodeId, String address) {
        for (Listener l : listeners) {
            l.addressChanged(nodeId, address);
        }
    }

    /**
     * Checks a node id and a "host:port" address (an IPv6 host in brackets).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validate(long nodeId, String address) {
        if (nodeId <= 0) {
            throw new IllegalArgumentException("node id must be positive, got " + nodeId);
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("node " + nodeId + ": address is empty");
        }
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "" : address.substring(0, colon);
        if (colon <= 0 || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("node " + nodeId + ": address '" + address + "' is not host:port");
        }
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("node " + nodeId + ": IPv6 host in '" + address
                    + "' must be in brackets");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node " + nodeId + ": port in '" + address + "' is not a number");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("node " + nodeId + ": port " + port + " is out of range");
        }
    }
}
