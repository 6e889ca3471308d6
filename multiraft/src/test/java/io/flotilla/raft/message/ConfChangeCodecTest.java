package io.flotilla.raft.message;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A conf change travels inside a log entry's data: it must decode to exactly what was encoded. */
class ConfChangeCodecTest {
    private static final int CASES = 5_000;

    static ConfChange random(SplittableRandom r) {
        ConfChangeTransition[] transitions = ConfChangeTransition.values();
        ConfChangeType[] types = ConfChangeType.values();
        List<ConfChangeSingle> changes = new ArrayList<>();
        for (int i = r.nextInt(7); i > 0; i--) {
            long id = switch (r.nextInt(4)) {
                case 0 -> r.nextLong(); // any bits, including negative
                case 1 -> Long.MAX_VALUE;
                default -> r.nextLong(1, 10);
            };
            changes.add(new ConfChangeSingle(types[r.nextInt(types.length)], id));
        }
        byte[] context = null;
        if (r.nextBoolean()) {
            context = new byte[r.nextInt(40)];
            for (int i = 0; i < context.length; i++) {
                context[i] = (byte) r.nextInt(256);
            }
        }
        return new ConfChange(transitions[r.nextInt(transitions.length)], changes, context);
    }

    @Test
    @DisplayName("decode(encode(c)) equals c, and encoding is deterministic (seeded random)")
    void roundTrip() {
        long base = 0xCC_0000L;
        for (int i = 0; i < CASES; i++) {
            long seed = base + i;
            ConfChange c = random(new SplittableRandom(seed));
            byte[] bytes = c.encode();
            ConfChange back = ConfChange.decode(bytes);
            assertThat(back).as("seed=%d case=%s", seed, c).isEqualTo(c).hasSameHashCodeAs(c);
            assertThat(back.context()).as("seed=%d", seed).isEqualTo(c.context());
            assertThat(back.encode()).as("seed=%d", seed).isEqualTo(bytes);
        }
    }

    @Test
    @DisplayName("every strict prefix of a valid encoding is malformed")
    void truncatedIsMalformed() {
        long base = 0xCC_1000L;
        for (int i = 0; i < 300; i++) {
            long seed = base + i;
            ConfChange c = random(new SplittableRandom(seed));
            byte[] bytes = c.encode();
            for (int len = 0; len < bytes.length; len++) {
                byte[] prefix = Arrays.copyOf(bytes, len);
                assertThatIllegalArgumentException().as("seed=%d case=%s prefix of %d/%d bytes", seed, c, len,
                        bytes.length).isThrownBy(() -> ConfChange.decode(prefix));
            }
        }
    }

    @Test
    @DisplayName("bytes after a complete encoding are malformed")
    void trailingBytesAreMalformed() {
        byte[] bytes = ConfChange.of(ConfChangeSingle.addVoter(1)).encode();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatIllegalArgumentException().isThrownBy(() -> ConfChange.decode(longer));
    }

    @Test
    @DisplayName("unknown transitions or change types, and impossible counts or lengths, are malformed")
    void badFieldsAreMalformed() {
        assertMalformed(header(9, 0).putInt(0));                                  // unknown transition
        assertMalformed(header(0, 1).put((byte) 7).putLong(1).putInt(0));         // unknown change type
        assertMalformed(header(0, -1).putInt(0));                                 // negative count
        assertMalformed(header(0, Integer.MAX_VALUE).putInt(0));                  // absurd count
        assertMalformed(header(0, 0).putInt(-5));                                 // negative context length
        assertMalformed(header(0, 0).putInt(1_000));                              // context longer than the data
        assertMalformed(ByteBuffer.allocate(0));                                  // nothing at all
    }

    private static ByteBuffer header(int transition, int count) {
        return ByteBuffer.allocate(64).put((byte) transition).putInt(count);
    }

    private static void assertMalformed(ByteBuffer b) {
        byte[] data = Arrays.copyOf(b.array(), b.position());
        assertThatIllegalArgumentException().as("%s", Arrays.toString(data)).isThrownBy(() -> ConfChange.decode(data));
    }

    @Test
    @DisplayName("the wire layout: transition byte, count, (type byte, id) per change, context length, context")
    void layout() {
        ConfChange c = new ConfChange(ConfChangeTransition.JOINT_EXPLICIT,
                List.of(ConfChangeSingle.addLearner(5)), new byte[] {42});
        byte[] expected = ByteBuffer.allocate(1 + 4 + 9 + 4 + 1).put((byte) 2).putInt(1).put((byte) 2).putLong(5)
                .putInt(1).put((byte) 42).array();
        assertThat(c.encode()).isEqualTo(expected);
        assertThat(ConfChange.decode(expected)).isEqualTo(c);
    }

    @Test
    @DisplayName("AUTO with one change is a simple change; several changes or an explicit transition enter joint")
    void transitionSemantics() {
        ConfChange one = ConfChange.of(ConfChangeSingle.addVoter(2));
        assertThat(one.entersJoint()).isFalse();
        assertThat(ConfChange.of(ConfChangeSingle.addVoter(2), ConfChangeSingle.remove(3)).entersJoint()).isTrue();
        ConfChange implicit = new ConfChange(ConfChangeTransition.JOINT_IMPLICIT, List.of(ConfChangeSingle.addVoter(2)),
                null);
        assertThat(implicit.entersJoint()).isTrue();
        assertThat(implicit.autoLeave()).isTrue();
        ConfChange explicit = new ConfChange(ConfChangeTransition.JOINT_EXPLICIT, List.of(ConfChangeSingle.addVoter(2)),
                null);
        assertThat(explicit.autoLeave()).isFalse();
        assertThat(ConfChange.leaveJoint().isLeaveJoint()).isTrue();
        assertThat(ConfChange.leaveJoint().entersJoint()).isFalse();
        assertThat(ConfChange.leaveJoint()).hasToString("leave-joint");
        assertThat(explicit).hasToString("v2 JOINT_EXPLICIT");
    }

    @Test
    @DisplayName("toEntry wraps the encoding in a CONF_CHANGE entry")
    void toEntry() {
        ConfChange c = ConfChange.of(ConfChangeSingle.remove(4));
        Entry e = c.toEntry();
        assertThat(e.isConfChange()).isTrue();
        assertThat(e.type()).isEqualTo(EntryType.CONF_CHANGE);
        assertThat(ConfChange.decode(e.data())).isEqualTo(c);
    }

    @Test
    @DisplayName("ConfChangeSingle factories build the three kinds")
    void singleFactories() {
        assertThat(ConfChangeSingle.addVoter(3)).isEqualTo(new ConfChangeSingle(ConfChangeType.ADD_VOTER, 3));
        assertThat(ConfChangeSingle.addLearner(3)).isEqualTo(new ConfChangeSingle(ConfChangeType.ADD_LEARNER, 3));
        assertThat(ConfChangeSingle.remove(3)).isEqualTo(new ConfChangeSingle(ConfChangeType.REMOVE_NODE, 3));
    }
}
