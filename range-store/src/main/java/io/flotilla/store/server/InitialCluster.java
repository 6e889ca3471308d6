package io.flotilla.store.server;

import io.flotilla.transport.raft.AddressBook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The nodes that form a cluster on its first start, {@code 1=host:port,2=host:port,...}: each
 * bootstraps range 1 over the whole key space with one voter per listed node (replica id =
 * node id), so they agree on it without talking first.
 */
public record InitialCluster(Map<Long, String> members) {
    public InitialCluster {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("the initial cluster lists no node");
        }
        members = java.util.Collections.unmodifiableMap(new TreeMap<>(members));
    }

    /**
     * Parses {@code id=host:port} pairs separated by commas.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static InitialCluster parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("the initial cluster is empty; expected 1=host:port,2=host:port,...");
        }
        Map<Long, String> members = new TreeMap<>();
        for (String part : spec.split(",")) {
            String entry = part.trim();
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("initial cluster entry '" + entry + "' is not id=host:port");
            }
            long id;
            try {
                id = Long.parseLong(entry.substring(0, eq).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("initial cluster entry '" + entry + "': node id is not a number");
            }
            String address = entry.substring(eq + 1).trim();
            NodeConfig.checkNodeId(id);
            AddressBook.validate(id, address);
            if (members.put(id, address) != null) {
                throw new IllegalArgumentException("initial cluster lists node " + id + " twice");
            }
        }
        return new InitialCluster(members);
    }

    /** The canonical text: entries ordered by node id, no spaces. */
    public String canonical() {
        StringJoiner j = new StringJoiner(",");
        members.forEach((id, address) -> j.add(id + "=" + address));
        return j.toString();
    }

    /**
     * The cluster id every listed node computes alike from the canonical text (the first 63 bits
     * of its SHA-256, never 0), so nodes started with the same list agree without talking.
     */
    public long derivedClusterId() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            long id = java.nio.ByteBuffer.wrap(h).getLong() & Long.MAX_VALUE;
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
