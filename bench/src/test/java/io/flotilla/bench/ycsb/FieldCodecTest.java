package io.flotilla.bench.ycsb;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldCodecTest {
    @RepeatedTest(50)
    @DisplayName("random records (names of any Unicode, values of any bytes and lengths) decode to what was encoded")
    void roundTrips(RepetitionInfo info) {
        SplittableRandom random = new SplittableRandom(info.getCurrentRepetition());
        Map<String, byte[]> record = new LinkedHashMap<>();
        int fields = random.nextInt(12);
        for (int i = 0; i < fields; i++) {
            StringBuilder name = new StringBuilder("f");
            for (int c = random.nextInt(8); c > 0; c--) {
                name.appendCodePoint(random.nextInt(3) == 0 ? 0x4E00 + random.nextInt(100) : 'a' + random.nextInt(26));
            }
            byte[] v = new byte[random.nextInt(3) == 0 ? random.nextInt(20_000) : random.nextInt(130)];
            random.nextBytes(v);
            record.put(name.toString(), v);
        }
        Map<String, byte[]> back = FieldCodec.decode(FieldCodec.encode(record));
        assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(record.keySet());
        record.forEach((k, v) -> assertThat(back.get(k)).as(k).isEqualTo(v));
    }

    @Test
    @DisplayName("the encoding is the documented layout, and does not depend on the map's order")
    void layoutAndCanonicalOrder() {
        Map<String, byte[]> ab = new LinkedHashMap<>();
        ab.put("field1", "xy".getBytes(StandardCharsets.UTF_8));
        ab.put("field0", new byte[0]);
        Map<String, byte[]> ba = new LinkedHashMap<>();
        ba.put("field0", new byte[0]);
        ba.put("field1", "xy".getBytes(StandardCharsets.UTF_8));
        byte[] encoded = FieldCodec.encode(ab);
        assertThat(encoded).isEqualTo(FieldCodec.encode(ba));
        byte[] expected = {1, 2, 6, 'f', 'i', 'e', 'l', 'd', '0', 0, 6, 'f', 'i', 'e', 'l', 'd', '1', 2, 'x', 'y'};
        assertThat(encoded).isEqualTo(expected);
        // A 300-byte value needs a two-byte length: 300 = 0b10_0101100 -> 0xAC 0x02.
        byte[] big = FieldCodec.encode(Map.of("f", new byte[300]));
        assertThat(Arrays.copyOfRange(big, 4, 6)).containsExactly((byte) 0xAC, (byte) 0x02);
        assertThat(FieldCodec.decode(FieldCodec.encode(Map.of()))).isEmpty();
    }

    @Test
    @DisplayName("bytes the codec did not write are refused with a message, not an index error")
    void refusesForeignValues() {
        byte[] good = FieldCodec.encode(Map.of("field0", "value".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> FieldCodec.decode(new byte[0])).hasMessageContaining("not a YCSB record");
        assertThatThrownBy(() -> FieldCodec.decode("hello".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown version");
        assertThatThrownBy(() -> FieldCodec.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past the end");
        assertThatThrownBy(() -> FieldCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .hasMessageContaining("after the last field");
        assertThatThrownBy(() -> FieldCodec.decode(new byte[]{1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0x7F})).hasMessageContaining("bad length");
    }

    @Test
    @DisplayName("table keys: table + '/' + key, and the table's end sorts after every key of it and before the next table")
    void tableKeys() {
        assertThat(new String(TableKeys.key("usertable", "user1"), StandardCharsets.UTF_8)).isEqualTo("usertable/user1");
        String end = new String(TableKeys.tableEnd("usertable"), StandardCharsets.UTF_8);
        assertThat("usertable/user9\uFFFF").isLessThan(end);
        assertThat("usertable/").isLessThan(end);
        assertThat(end).isLessThan("usertable0/");
        assertThat(end).isLessThan("usertablf");
        assertThat(TableKeys.ycsbKey("usertable", TableKeys.key("usertable", "user42"))).isEqualTo("user42");
    }
}
