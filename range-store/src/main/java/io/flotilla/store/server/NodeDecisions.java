package io.flotilla.store.server;

import io.flotilla.transport.proto.AdminState;

import java.util.Map;
import java.util.TreeMap;

/**
 * What operators decided that this node must remember across restarts and report in every
 * heartbeat: its own admin state (active, decommissioning, removed) and whether placement is
 * paused. Kept on the node itself, so that whichever node runs the placement driver learns them
 * from heartbeats — the stand-in for the meta range's node registry and settings.
 */
final class NodeDecisions {
    private static final String ADMIN_STATE = "admin.state";
    private static final String PAUSED = "placement.paused";
    private static final String PREFER = "leader.prefer.";

    private final DataDir dir;
    private volatile AdminState adminState;
    private volatile boolean paused;
    /** Leader preferences as {@link LeaderPreferences} text, by range id (0: the default). */
    private final Map<Long, String> preferences = new java.util.concurrent.ConcurrentSkipListMap<>();

    NodeDecisions(DataDir dir) {
        this.dir = dir;
        Map<String, String> stored = dir == null ? Map.of() : dir.decisions();
        AdminState state;
        try {
            state = AdminState.valueOf(stored.getOrDefault(ADMIN_STATE, AdminState.ADMIN_ACTIVE.name()));
        } catch (IllegalArgumentException e) {
            throw new DataDirRefusedException("the decisions file in " + dir.root() + " holds an unknown admin state "
                    + stored.get(ADMIN_STATE));
        }
        this.adminState = state == AdminState.UNRECOGNIZED ? AdminState.ADMIN_ACTIVE : state;
        this.paused = Boolean.parseBoolean(stored.getOrDefault(PAUSED, "false"));
        stored.forEach((k, v) -> {
            if (k.startsWith(PREFER)) {
                try {
                    LeaderPreferences.parse(v);
                    preferences.put(Long.parseUnsignedLong(k.substring(PREFER.length())), v);
                } catch (IllegalArgumentException e) {
                    throw new DataDirRefusedException("the decisions file in " + dir.root() + " holds a bad leader"
                            + " preference " + k + "=" + v + ": " + e.getMessage());
                }
            }
        });
    }

    /** Leader preferences by range id (0: the default for ranges without one). */
    Map<Long, String> preferences() {
        return Map.copyOf(preferences);
    }

    /** Records (or with null, clears) the leader preference of {@code rangeId}; 0 is the default. */
    synchronized void setPreference(long rangeId, String spec) {
        if (spec == null) {
            preferences.remove(rangeId);
        } else {
            LeaderPreferences.parse(spec);
            preferences.put(rangeId, spec);
        }
        persist();
    }

    AdminState adminState() {
        return adminState;
    }

    boolean paused() {
        return paused;
    }

    /**
     * Records a new admin state. A removed node stays removed: bringing it back means a new node
     * id and an empty data directory, so that no stale replica of it ever votes again.
     */
    synchronized void setAdminState(AdminState state) {
        if (state == AdminState.UNRECOGNIZED) {
            throw new io.flotilla.store.range.RangeException.InvalidArgument("unknown admin state");
        }
        if (adminState == AdminState.ADMIN_REMOVED && state != AdminState.ADMIN_REMOVED) {
            throw new io.flotilla.store.range.RangeException.FailedPrecondition("this node was removed from the"
                    + " cluster; start a new node (new id, empty data directory) instead");
        }
        adminState = state;
        persist();
    }

    synchronized void setPaused(boolean value) {
        paused = value;
        persist();
    }

    private void persist() {
        if (dir != null) {
            Map<String, String> m = new TreeMap<>();
            m.put(ADMIN_STATE, adminState.name());
            m.put(PAUSED, Boolean.toString(paused));
            preferences.forEach((range, spec) -> m.put(PREFER + Long.toUnsignedString(range), spec));
            dir.writeDecisions(m);
        }
    }
}
