package io.flotilla.store.server;

import io.flotilla.placement.cluster.LeaderPreference;

/**
 * Leader preferences as the text nodes record and pass around: {@code node:3} (lead from node 3)
 * or {@code label:zone=eu-1} (lead from any node with that label).
 */
final class LeaderPreferences {
    private LeaderPreferences() {
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code spec} */
    static LeaderPreference parse(String spec) {
        if (spec.startsWith("node:")) {
            long node;
            try {
                node = Long.parseLong(spec.substring("node:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + spec + "' does not name a node id");
            }
            return LeaderPreference.onNode(node);
        }
        if (spec.startsWith("label:")) {
            String label = spec.substring("label:".length());
            int eq = label.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("label preference '" + label + "' is not key=value");
            }
            return LeaderPreference.onLabel(label.substring(0, eq), label.substring(eq + 1));
        }
        throw new IllegalArgumentException("'" + spec + "' is neither node:ID nor label:KEY=VALUE");
    }

    static String onNode(long nodeId) {
        return "node:" + nodeId;
    }

    static String onLabel(String keyValue) {
        String spec = "label:" + keyValue;
        parse(spec);
        return spec;
    }
}
