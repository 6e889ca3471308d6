package io.flotilla.raft.message;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A membership change proposal. An empty change list means "leave the joint configuration".
 * Encoded into the data of a {@link EntryType#CONF_CHANGE} entry.
 */
public record ConfChange(ConfChangeTransition transition, List<ConfChangeSingle> changes, byte[] context) {

    public ConfChange {
        Objects.requireNonNull(transition, "transition");
        changes = List.copyOf(changes);
        context = context == null ? new byte[0] : context;
    }

    public static ConfChange of(ConfChangeSingle... changes) {
        return new ConfChange(ConfChangeTransition.AUTO, List.of(changes), null);
    }

    public static ConfChange leaveJoint() {
        return new ConfChange(ConfChangeTransition.AUTO, List.of(), null);
    }

    public boolean isLeaveJoint() {
        return changes.isEmpty();
    }

    /** True when applying this change enters a joint configuration. */
    public boolean entersJoint() {
        return !changes.isEmpty() && (transition != ConfChangeTransition.AUTO || changes.size() > 1);
    }

    /** When entering joint: whether the joint configuration is left without being asked. */
    public boolean autoLeave() {
        return transition != ConfChangeTransition.JOINT_EXPLICIT;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + changes.size() * 9 + context.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(transition.ordinal());
            out.writeInt(changes.size());
            for (ConfChangeSingle c : changes) {
                out.writeByte(c.type().ordinal());
                out.writeLong(c.nodeId());
            }
            out.writeInt(context.length);
            out.write(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes what {@link #encode()} wrote; malformed bytes get an IllegalArgumentException. */
    public static ConfChange decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            ConfChangeTransition transition = ConfChangeTransition.values()[in.readUnsignedByte()];
            int n = in.readInt();
            if (n < 0 || n > 1 << 16) {
                throw new IllegalArgumentException("bad conf change count " + n);
            }
            List<ConfChangeSingle> changes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                changes.add(new ConfChangeSingle(ConfChangeType.values()[in.readUnsignedByte()], in.readLong()));
            }
            int len = in.readInt();
            if (len < 0 || len > data.length) {
                throw new IllegalArgumentException("bad conf change context length " + len);
            }
            // readFully, not readNBytes: a truncated context must fail, not decode shorter.
            byte[] context = new byte[len];
            in.readFully(context);
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after conf change: " + in.available());
            }
            return new ConfChange(transition, changes, context);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed conf change", e);
        }
    }

    public Entry toEntry() {
        return new Entry(0, 0, EntryType.CONF_CHANGE, encode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChange c && c.transition == transition && c.changes.equals(changes)
                && java.util.Arrays.equals(c.context, context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transition, changes, java.util.Arrays.hashCode(context));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (ConfChangeSingle c : changes) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(switch (c.type()) {
                case ADD_VOTER -> "v";
                case ADD_LEARNER -> "l";
                case REMOVE_NODE -> "r";
            }).append(c.nodeId());
        }
        return changes.isEmpty() ? "leave-joint" : s + (transition == ConfChangeTransition.AUTO ? "" : " " + transition);
    }
}
