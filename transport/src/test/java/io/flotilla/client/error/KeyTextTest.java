package io.flotilla.client.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules: keys print as quoted text when printable UTF-8, else as hex; long keys are cut. */
class KeyTextTest {

    @Test
    void printableUtf8IsQuotedText() {
        assertThat(KeyText.of("user/42".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"user/42\"");
        assertThat(KeyText.of("clé".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"clé\"");
        assertThat(KeyText.of(new byte[0])).isEqualTo("\"\"");
    }

    @Test
    void binaryAndControlCharactersAreHex() {
        assertThat(KeyText.of(new byte[] {0, 1, (byte) 0xff})).isEqualTo("0x0001ff");
        assertThat(KeyText.of("a\nb".getBytes(StandardCharsets.UTF_8))).isEqualTo("0x610a62");
    }

    @Test
    void longKeysAreCutWithTheirLength() {
        assertThat(KeyText.of(new byte[100])).endsWith("...(100 bytes)").startsWith("0x0000");
    }

    @Test
    void exceptionMessagesShowKeysPrintably() {
        FlotillaException e = new FlotillaException.KeyNotInRange(new byte[] {(byte) 0xca, (byte) 0xfe}, "");
        assertThat(e).hasMessageContaining("0xcafe");
        assertThat(new FlotillaException.NotLeader(7, 3, "10.0.0.3:7000", "")).hasMessageContaining("range 7")
                .hasMessageContaining("node 3 at 10.0.0.3:7000");
        assertThat(new FlotillaException.EpochNotMatch(List.of(1L, 2L), "split")).hasMessageContaining("[1, 2]")
                .hasMessageContaining("split");
    }
}
