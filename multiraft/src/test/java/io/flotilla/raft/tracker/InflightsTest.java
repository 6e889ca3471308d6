package io.flotilla.raft.tracker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The inflight window: a bounded ring of (last index, bytes) freed from the front. */
class InflightsTest {

    private static Inflights filled(int capacity, long maxBytes, long... indexes) {
        Inflights in = new Inflights(capacity, maxBytes);
        for (long i : indexes) {
            in.add(i, 10);
        }
        return in;
    }

    @Test
    @DisplayName("the window is full at its message count and refuses one more")
    void countLimit() {
        Inflights in = filled(3, 0, 1, 2);
        assertThat(in.full()).isFalse();
        in.add(3, 10);
        assertThat(in.full()).isTrue();
        assertThat(in.count()).isEqualTo(3);
        assertThatIllegalStateException().isThrownBy(() -> in.add(4, 10));
        assertThat(in.count()).isEqualTo(3);
        assertThat(in.bytes()).isEqualTo(30);
    }

    @Test
    @DisplayName("the window is full once the bytes in flight reach the byte limit; 0 means no byte limit")
    void byteLimit() {
        Inflights in = new Inflights(100, 25);
        in.add(1, 10);
        in.add(2, 10);
        assertThat(in.full()).isFalse();
        in.add(3, 5);
        assertThat(in.bytes()).isEqualTo(25);
        assertThat(in.full()).isTrue();
        in.freeLE(1);
        assertThat(in.bytes()).isEqualTo(15);
        assertThat(in.full()).isFalse();
        // One big message may overshoot the limit: it is still sent, and then the window is full.
        in.add(4, 1000);
        assertThat(in.full()).isTrue();

        Inflights unlimited = new Inflights(100, 0);
        unlimited.add(1, Long.MAX_VALUE / 2);
        assertThat(unlimited.full()).isFalse();
    }

    @Test
    @DisplayName("freeLE frees every message whose last index is at most the acknowledged one")
    void freeLE() {
        Inflights in = filled(10, 0, 2, 4, 6, 8);
        in.freeLE(1);
        assertThat(in.count()).isEqualTo(4);
        in.freeLE(5);
        assertThat(in.count()).isEqualTo(2);
        assertThat(in.bytes()).isEqualTo(20);
        in.freeLE(5); // a duplicate acknowledgement frees nothing more
        assertThat(in.count()).isEqualTo(2);
        in.freeLE(100);
        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
        in.freeLE(200); // freeing an empty window is harmless
        assertThat(in.count()).isZero();
    }

    @Test
    @DisplayName("freeFirst frees only the oldest message")
    void freeFirst() {
        Inflights in = filled(3, 0, 5, 6, 7);
        in.freeFirst();
        assertThat(in.count()).isEqualTo(2);
        assertThat(in.full()).isFalse();
        in.freeLE(6);
        assertThat(in.count()).isEqualTo(1);
        in.freeFirst();
        in.freeFirst();
        assertThat(in.count()).isZero();
    }

    @Test
    @DisplayName("the ring wraps around: after freeing at the front, the freed slots are reused in order")
    void ringWrapAround() {
        Inflights in = filled(4, 0, 1, 2, 3, 4);
        for (long next = 5; next <= 40; next++) {
            in.freeLE(next - 4);
            assertThat(in.full()).isFalse();
            in.add(next, 10);
            assertThat(in.full()).as("after adding %s", next).isTrue();
        }
        // Exactly 37..40 remain, oldest first.
        in.freeLE(37);
        assertThat(in.count()).isEqualTo(3);
        in.freeFirst();
        in.freeLE(39);
        assertThat(in.count()).isEqualTo(1);
        in.freeLE(40);
        assertThat(in.count()).isZero();
    }

    @Test
    @DisplayName("growing the buffer keeps the order of a ring that had already wrapped")
    void growAfterWrap() {
        Inflights in = filled(8, 0, 1, 2);
        in.freeFirst();  // the front moves to the second slot
        in.add(3, 10);   // wraps into the first slot
        in.add(4, 10);   // forces growth while wrapped
        in.add(5, 10);
        assertThat(in.count()).isEqualTo(4);
        in.freeLE(2);
        assertThat(in.count()).isEqualTo(3);
        in.freeLE(3);
        assertThat(in.count()).isEqualTo(2);
        in.freeLE(5);
        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
    }

    @Test
    @DisplayName("the buffer grows lazily: a huge window costs nothing until messages are in flight")
    void lazyGrowth() {
        // 2^30 slots of two longs would need 16 GiB; the test JVM has 2 GiB, so this only passes lazily.
        Inflights in = new Inflights(1 << 30, 0);
        for (long i = 1; i <= 1000; i++) {
            in.add(i, 1);
        }
        assertThat(in.count()).isEqualTo(1000);
        assertThat(in.full()).isFalse();
        in.freeLE(999);
        assertThat(in.count()).isEqualTo(1);
        Inflights copy = in.copyEmpty();
        assertThat(copy.count()).isZero();
    }

    @Test
    @DisplayName("reset empties the window, which then accepts a full window again")
    void reset() {
        Inflights in = filled(3, 0, 1, 2, 3);
        in.freeFirst();
        in.add(4, 10);
        in.reset();
        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
        assertThat(in.full()).isFalse();
        in.add(10, 1);
        in.add(11, 1);
        in.add(12, 1);
        assertThat(in.full()).isTrue();
        in.freeLE(11);
        assertThat(in.count()).isEqualTo(1);
    }

    @Test
    @DisplayName("copyEmpty keeps the limits but none of the messages")
    void copyEmptyKeepsLimits() {
        Inflights in = filled(2, 15, 1);
        Inflights copy = in.copyEmpty();
        assertThat(copy).isNotSameAs(in);
        assertThat(copy.count()).isZero();
        copy.add(1, 15);
        assertThat(copy.full()).as("byte limit carried over").isTrue();
        Inflights countOnly = new Inflights(2, 0).copyEmpty();
        countOnly.add(1, 1);
        countOnly.add(2, 1);
        assertThat(countOnly.full()).as("count limit carried over").isTrue();
        assertThat(in.count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a window needs a positive capacity")
    void capacityMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Inflights(0, 0));
    }
}
