package io.flotilla.store.log;

import io.flotilla.raft.message.ConfState;
import io.flotilla.raft.message.Entry;
import io.flotilla.raft.message.EntryType;
import io.flotilla.raft.message.HardState;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Byte forms of what the Raft column families hold. Fixed layouts, big-endian. */
public final class RaftCodec {
    private RaftCodec() {
    }

    /** [term 8][type 1][data]; the index lives in the key. */
    public static byte[] encodeEntry(Entry e) {
        return ByteBuffer.allocate(9 + e.data().length).putLong(e.term()).put((byte) e.type().ordinal())
                .put(e.data()).array();
    }

    public static Entry decodeEntry(long index, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long term = b.getLong();
        EntryType type = EntryType.values()[b.get()];
        byte[] data = new byte[b.remaining()];
        b.get(data);
        return new Entry(term, index, type, data);
    }

    public static byte[] encodeHardState(HardState hs) {
        return ByteBuffer.allocate(24).putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit()).array();
    }

    public static HardState decodeHardState(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        return new HardState(b.getLong(), b.getLong(), b.getLong());
    }

    /** An (index, term) pair: applied and truncated states. */
    public static byte[] encodeIndexTerm(long index, long term) {
        return ByteBuffer.allocate(16).putLong(index).putLong(term).array();
    }

    public static long[] decodeIndexTerm(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        return new long[] {b.getLong(), b.getLong()};
    }

    public static byte[] encodeConfState(ConfState cs) {
        int n = cs.voters().size() + cs.learners().size() + cs.votersOutgoing().size() + cs.learnersNext().size();
        ByteBuffer b = ByteBuffer.allocate(1 + 16 + 8 * n);
        b.put((byte) (cs.autoLeave() ? 1 : 0));
        for (List<Long> ids : List.of(cs.voters(), cs.learners(), cs.votersOutgoing(), cs.learnersNext())) {
            b.putInt(ids.size());
            ids.forEach(b::putLong);
        }
        return b.array();
    }

    public static ConfState decodeConfState(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        boolean autoLeave = b.get() == 1;
        List<List<Long>> lists = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            int n = b.getInt();
            List<Long> ids = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                ids.add(b.getLong());
            }
            lists.add(ids);
        }
        return new ConfState(lists.get(0), lists.get(1), lists.get(2), lists.get(3), autoLeave);
    }
}
