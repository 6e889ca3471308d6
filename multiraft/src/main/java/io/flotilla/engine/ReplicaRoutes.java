package io.flotilla.engine;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replica-to-node pairs a membership change adds, carried in the change's context so that
 * every member, applying the change, learns where to send to the new replicas.
 */
public final class ReplicaRoutes {
    private ReplicaRoutes() {
    }

    public static byte[] encode(Map<Long, Long> routes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 16 * routes.size());
        b.putInt(routes.size());
        new TreeMap<>(routes).forEach((replica, node) -> b.putLong(replica).putLong(node));
        return b.array();
    }

    public static Map<Long, Long> decode(byte[] context) {
        Map<Long, Long> out = new TreeMap<>();
        if (context.length < 4) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(context);
        int n = b.getInt();
        if (n < 0 || n > (context.length - 4) / 16) {
            throw new IllegalArgumentException("malformed replica routes: " + n + " pairs in " + context.length + " bytes");
        }
        for (int i = 0; i < n; i++) {
            out.put(b.getLong(), b.getLong());
        }
        return out;
    }
}
