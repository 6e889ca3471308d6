package io.flotilla.client.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.flotilla.transport.proto.RangeDescriptor;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rules of the routing cache: floor lookup by start key, no overlapping entries, no stale overwrite, bounded size. */
class RoutingCacheTest {
    private final RoutingCache cache = new RoutingCache(1000);

    private static ByteString key(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static RangeDescriptor range(long id, String start, String end, long version) {
        return RangeDescriptor.newBuilder().setRangeId(id).setStartKey(key(start)).setEndKey(key(end))
                .setVersion(version).build();
    }

    private Optional<Long> rangeAt(String key) {
        return cache.lookup(key(key)).map(RangeDescriptor::getRangeId);
    }

    @Test
    void aKeyMapsToTheRangeStartingAtOrBeforeIt() {
        cache.put(range(1, "", "g", 1));
        cache.put(range(2, "g", "p", 1));
        cache.put(range(3, "p", "", 1));

        assertThat(rangeAt("")).hasValue(1L);
        assertThat(rangeAt("f\u00ff")).hasValue(1L);
        assertThat(rangeAt("g")).as("start key is inclusive").hasValue(2L);
        assertThat(rangeAt("o")).hasValue(2L);
        assertThat(rangeAt("p")).as("end key is exclusive").hasValue(3L);
        assertThat(rangeAt("zzzz")).as("empty end key reaches the end of the key space").hasValue(3L);
    }

    @Test
    void aKeyInAGapBetweenCachedRangesIsAMiss() {
        cache.put(range(1, "a", "c", 1));
        cache.put(range(3, "x", "", 1));

        assertThat(rangeAt("0")).isEmpty();
        assertThat(rangeAt("c")).isEmpty();
        assertThat(rangeAt("m")).isEmpty();
    }

    @Test
    void keysCompareAsUnsignedBytes() {
        ByteString high = ByteString.copyFrom(new byte[] {(byte) 0x80});
        cache.put(RangeDescriptor.newBuilder().setRangeId(1).setStartKey(key("")).setEndKey(high).setVersion(1)
                .build());
        cache.put(RangeDescriptor.newBuilder().setRangeId(2).setStartKey(high).setVersion(1).build());

        assertThat(cache.lookup(ByteString.copyFrom(new byte[] {0x7f})).map(RangeDescriptor::getRangeId)).hasValue(1L);
        assertThat(cache.lookup(ByteString.copyFrom(new byte[] {(byte) 0xff})).map(RangeDescriptor::getRangeId))
                .hasValue(2L);
    }

    @Test
    void splitDescriptorsReplaceTheParentTheyOverlap() {
        cache.put(range(1, "", "", 1));

        cache.putAll(List.of(range(1, "", "m", 2), range(2, "m", "", 2)));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(rangeAt("a")).hasValue(1L);
        assertThat(cache.lookup(key("a")).orElseThrow().getEndKey()).isEqualTo(key("m"));
        assertThat(rangeAt("z")).hasValue(2L);
    }

    @Test
    void aWiderDescriptorReplacesEveryCachedRangeItCovers() {
        cache.put(range(1, "a", "c", 1));
        cache.put(range(2, "c", "e", 1));
        cache.put(range(3, "e", "g", 1));
        cache.put(range(9, "z", "", 1));

        cache.put(range(7, "b", "f", 1));

        assertThat(rangeAt("a")).as("partly covered ranges go too: they can no longer be trusted").isEmpty();
        assertThat(rangeAt("d")).hasValue(7L);
        assertThat(rangeAt("f")).isEmpty();
        assertThat(rangeAt("z")).as("ranges it does not touch stay").hasValue(9L);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void anOlderEpochOfACachedRangeIsIgnored() {
        cache.put(range(1, "", "m", 3));

        assertThat(cache.put(range(1, "", "", 2))).isFalse();

        assertThat(cache.lookup(key("a")).orElseThrow().getVersion()).isEqualTo(3);
        assertThat(rangeAt("z")).isEmpty();
    }

    @Test
    void invalidationDropsOnlyThatRange() {
        RangeDescriptor left = range(1, "", "m", 1);
        cache.put(left);
        cache.put(range(2, "m", "", 1));

        cache.invalidate(left);
        assertThat(rangeAt("a")).isEmpty();
        assertThat(rangeAt("z")).hasValue(2L);

        cache.invalidate(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void invalidatingAnEntryThatWasReplacedLeavesTheReplacement() {
        RangeDescriptor stale = range(1, "", "", 1);
        cache.put(stale);
        cache.put(range(5, "", "", 1)); // another range took the span

        cache.invalidate(stale);

        assertThat(rangeAt("k")).hasValue(5L);
    }

    @Test
    void evictionKeepsTheCacheBoundedAndTheIndexInStep() {
        RoutingCache small = new RoutingCache(10);
        for (int i = 0; i < 100; i++) {
            small.put(range(i + 1, String.format("k%03d", i), String.format("k%03d", i + 1), 1));
        }
        small.cleanUp();

        assertThat(small.size()).isLessThanOrEqualTo(10);
        int hits = 0;
        for (int i = 0; i < 100; i++) {
            Optional<RangeDescriptor> found = small.lookup(key(String.format("k%03d", i)));
            if (found.isPresent()) {
                hits++;
                assertThat(found.get().getRangeId()).isEqualTo(i + 1);
            }
        }
        assertThat(hits).isEqualTo(small.size());
    }
}
