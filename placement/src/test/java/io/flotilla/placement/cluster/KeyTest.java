package io.flotilla.placement.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyTest {

    @Test
    void keysOrderAsUnsignedBytesLikeTheStore() {
        assertThat(Key.of(new byte[]{(byte) 0x80}).compareTo(Key.of(new byte[]{0x7f}))).isPositive();
        assertThat(Key.of(new byte[]{1}).compareTo(Key.of(new byte[]{1, 0}))).isNegative();
        assertThat(Key.EMPTY.compareTo(Key.of(new byte[]{0}))).isNegative();
    }

    @Test
    void aKeyIsACopySoLaterChangesToTheArrayDoNotReachIt() {
        byte[] bytes = {1, 2, 3};
        Key key = Key.of(bytes);
        bytes[0] = 9;
        key.bytes()[1] = 9;
        assertThat(key).isEqualTo(Key.of(new byte[]{1, 2, 3}));
    }

    @Test
    void aNullKeyIsRefused() {
        assertThatThrownBy(() -> Key.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
