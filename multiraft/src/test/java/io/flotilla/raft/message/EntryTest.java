package io.flotilla.raft.message;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** Log entries are values: equal by content, sized by payload plus a fixed overhead. */
class EntryTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("entries are equal by term, index, type and data content, not by array identity")
    void equality() {
        Entry a = Entry.normal(2, 5, bytes("x"));
        Entry b = Entry.normal(2, 5, bytes("x"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Entry.normal(3, 5, bytes("x")));
        assertThat(a).isNotEqualTo(Entry.normal(2, 6, bytes("x")));
        assertThat(a).isNotEqualTo(Entry.normal(2, 5, bytes("y")));
        assertThat(a).isNotEqualTo(new Entry(2, 5, EntryType.CONF_CHANGE, bytes("x")));
        assertThat(Entry.empty(1, 1)).isEqualTo(Entry.normal(1, 1, null)).isEqualTo(Entry.normal(1, 1, new byte[0]));
    }

    @Test
    @DisplayName("size counts a fixed overhead plus the data, so even an empty no-op costs something")
    void size() {
        assertThat(Entry.empty(1, 1).sizeBytes()).isEqualTo(Entry.OVERHEAD_BYTES).isPositive();
        assertThat(Entry.empty(1, 1).payloadSize()).isZero();
        Entry e = Entry.normal(1, 1, new byte[100]);
        assertThat(e.sizeBytes()).isEqualTo(Entry.OVERHEAD_BYTES + 100L);
        assertThat(e.payloadSize()).isEqualTo(100);
    }

    @Test
    @DisplayName("at() re-places an entry at a new term and index, keeping type and data")
    void at() {
        Entry conf = ConfChange.of(ConfChangeSingle.addVoter(2)).toEntry();
        Entry placed = conf.at(7, 42);
        assertThat(placed.term()).isEqualTo(7);
        assertThat(placed.index()).isEqualTo(42);
        assertThat(placed.type()).isEqualTo(EntryType.CONF_CHANGE);
        assertThat(placed.data()).isEqualTo(conf.data());
    }

    @Test
    @DisplayName("an entry needs a type; null data means empty")
    void nulls() {
        assertThatNullPointerException().isThrownBy(() -> new Entry(1, 1, null, null));
        assertThat(new Entry(1, 1, EntryType.NORMAL, null).data()).isEmpty();
    }

    @Test
    @DisplayName("toString shows short text data and the size of anything else")
    void describes() {
        assertThat(Entry.normal(2, 5, bytes("put a"))).hasToString("2/5 put a");
        assertThat(Entry.empty(2, 6)).hasToString("2/6");
        assertThat(Entry.normal(2, 7, new byte[] {0, 1, 2})).hasToString("2/7 3B");
        assertThat(new Entry(3, 1, EntryType.CONF_CHANGE, null)).hasToString("3/1 conf");
    }
}
