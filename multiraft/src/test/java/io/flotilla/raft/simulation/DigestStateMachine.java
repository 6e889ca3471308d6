package io.flotilla.raft.simulation;

import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.Snapshot;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The replicated application: it folds every applied entry into a running digest. Two
 * replicas that applied the same sequence hold the same digest, so a snapshot (the digest
 * and its index) is a faithful image of the state, and a restored snapshot can be compared
 * with what the other replicas had at that index.
 */
final class DigestStateMachine {
    private long index;
    private long digest;

    private DigestStateMachine(long index, long digest) {
        this.index = index;
        this.digest = digest;
    }

    static DigestStateMachine empty() {
        return new DigestStateMachine(0, 0);
    }

    /** The state a snapshot holds; an empty snapshot stands for the initial state. */
    static DigestStateMachine fromSnapshot(Snapshot snap) {
        if (snap.data().length == 0) {
            if (snap.index() != 0) {
                throw new IllegalStateException("snapshot at " + snap.index() + " carries no state");
            }
            return empty();
        }
        ByteBuffer b = ByteBuffer.wrap(snap.data());
        long idx = b.getLong();
        long dig = b.getLong();
        if (idx != snap.index()) {
            throw new IllegalStateException("snapshot at " + snap.index() + " holds the state at " + idx);
        }
        return new DigestStateMachine(idx, dig);
    }

    /** Applies one entry and returns the digest after it. */
    long apply(Entry e) {
        index = e.index();
        digest = next(digest, e);
        return digest;
    }

    byte[] snapshotData() {
        return ByteBuffer.allocate(16).putLong(index).putLong(digest).array();
    }

    long index() {
        return index;
    }

    long digest() {
        return digest;
    }

    /** The digest after applying {@code e} on top of {@code digest}. */
    static long next(long digest, Entry e) {
        long h = digest * 0x9E3779B97F4A7C15L;
        h ^= e.term() * 0xC2B2AE3D27D4EB4FL + e.index() * 0x165667B19E3779F9L;
        h ^= (long) Arrays.hashCode(e.data()) << 1 | e.type().ordinal();
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
