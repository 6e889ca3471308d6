package io.flotilla.bench.load.keys;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyChooserTest {
    private static final int DRAWS = 200_000;

    private static long[] counts(KeyChooser chooser, int records, int draws) {
        long[] c = new long[records];
        for (int i = 0; i < draws; i++) {
            c[(int) chooser.next()]++;
        }
        return c;
    }

    @ParameterizedTest
    @EnumSource(KeyDistribution.class)
    @DisplayName("every distribution stays inside [0, records) and the same seed gives the same keys")
    void boundedAndReproducible(KeyDistribution d) {
        KeyChooser a = d.chooser(42, () -> 1000);
        KeyChooser b = d.chooser(42, () -> 1000);
        KeyChooser other = d.chooser(43, () -> 1000);
        long[] first = new long[5000];
        boolean differs = false;
        for (int i = 0; i < first.length; i++) {
            first[i] = a.next();
            assertThat(first[i]).isBetween(0L, 999L);
            assertThat(b.next()).isEqualTo(first[i]);
            differs |= other.next() != first[i];
        }
        assertThat(differs).as("another seed gives another sequence").isTrue();
    }

    @Test
    @DisplayName("uniform: every record is drawn, none far from the mean")
    void uniformIsFlat() {
        long[] c = counts(KeyDistribution.UNIFORM.chooser(1, () -> 100), 100, DRAWS);
        double mean = DRAWS / 100.0;
        assertThat(Arrays.stream(c).min().orElseThrow()).isGreaterThan((long) (mean * 0.85));
        assertThat(Arrays.stream(c).max().orElseThrow()).isLessThan((long) (mean * 1.15));
    }

    @Test
    @DisplayName("zipfian: skewed as Zipf(0.99) says — the hottest 1% of records take about a third of draws")
    void zipfianIsSkewed() {
        int records = 10_000;
        long[] c = counts(KeyDistribution.ZIPFIAN.chooser(7, () -> records), records, DRAWS);
        long[] sorted = c.clone();
        Arrays.sort(sorted);
        long top1Percent = 0;
        for (int i = records - records / 100; i < records; i++) {
            top1Percent += sorted[i];
        }
        // Zipf with theta 0.99 over 10k items puts ~45% of the mass on the top 100 ranks; the
        // FNV scrambling folds a few ranks together, which only raises the figure.
        assertThat(top1Percent / (double) DRAWS).isBetween(0.35, 0.6);
        // The single hottest record gets about 1/zeta(10k) ~ 10% of draws.
        assertThat(sorted[records - 1] / (double) DRAWS).isBetween(0.07, 0.14);
    }

    @Test
    @DisplayName("zipfian: the hot records are scattered over the key space, not neighbours")
    void zipfianHotKeysAreScattered() {
        int records = 10_000;
        long[] c = counts(KeyDistribution.ZIPFIAN.chooser(7, () -> records), records, DRAWS);
        Integer[] byHeat = new Integer[records];
        for (int i = 0; i < records; i++) {
            byHeat[i] = i;
        }
        Arrays.sort(byHeat, (x, y) -> Long.compare(c[y], c[x]));
        int lowHalf = 0;
        for (int i = 0; i < 20; i++) {
            lowHalf += byHeat[i] < records / 2 ? 1 : 0;
        }
        assertThat(lowHalf).as("of the 20 hottest records, how many sit in the lower half").isBetween(4, 16);
    }

    @Test
    @DisplayName("latest: the newest record is the hottest, and the hot spot follows inserts")
    void latestFavoursNewest() {
        AtomicLong records = new AtomicLong(1000);
        KeyChooser chooser = KeyDistribution.LATEST.chooser(3, records::get);
        long[] c = counts(chooser, 1000, DRAWS);
        assertThat(c[999]).isEqualTo(Arrays.stream(c).max().orElseThrow());
        long newest10 = Arrays.stream(c, 990, 1000).sum();
        long oldest10 = Arrays.stream(c, 0, 10).sum();
        assertThat(newest10).isGreaterThan(oldest10 * 20);
        records.set(2000);
        long[] after = counts(chooser, 2000, DRAWS);
        assertThat(after[1999]).isEqualTo(Arrays.stream(after).max().orElseThrow());
        assertThat(Arrays.stream(after, 1000, 2000).sum()).as("the newer half is now the hot one")
                .isGreaterThan(Arrays.stream(after, 0, 1000).sum() * 3);
    }

    @Test
    @DisplayName("growing a Zipf distribution step by step equals building it at the final size")
    void zipfGrowthIsExact() {
        ZipfRanks grown = new ZipfRanks(10, ZipfRanks.THETA);
        for (long n = 11; n <= 5000; n += 37) {
            grown.grow(n);
        }
        grown.grow(5000);
        ZipfRanks direct = new ZipfRanks(5000, ZipfRanks.THETA);
        java.util.SplittableRandom r1 = new java.util.SplittableRandom(9);
        java.util.SplittableRandom r2 = new java.util.SplittableRandom(9);
        for (int i = 0; i < 10_000; i++) {
            assertThat(grown.next(r1)).isEqualTo(direct.next(r2));
        }
        assertThatThrownBy(() -> new ZipfRanks(0, ZipfRanks.THETA)).hasMessageContaining("at least one");
    }

    @Test
    @DisplayName("an unknown distribution name is refused with the accepted names")
    void parse() {
        assertThat(KeyDistribution.parse("Zipfian")).isEqualTo(KeyDistribution.ZIPFIAN);
        assertThatThrownBy(() -> KeyDistribution.parse("pareto")).hasMessageContaining("uniform, zipfian or latest");
    }

    @Test
    @DisplayName("the insert counter makes a record readable only once every earlier insert is acknowledged")
    void insertCounterWaitsForGaps() {
        InsertCounter c = new InsertCounter(100);
        long a = c.next();
        long b = c.next();
        long d = c.next();
        assertThat(new long[]{a, b, d}).containsExactly(100, 101, 102);
        c.acknowledge(b);
        c.acknowledge(d);
        assertThat(c.readable()).as("100 is still in flight").isEqualTo(100);
        c.acknowledge(a);
        assertThat(c.readable()).isEqualTo(103);
    }

    @Test
    @DisplayName("keys: fixed length, hashed keys scatter, ordered keys sort as their record numbers")
    void keyNames() {
        KeyNames ordered = new KeyNames(false);
        KeyNames hashed = new KeyNames(true);
        assertThat(ordered.keyString(42)).isEqualTo("user0000000000000000042");
        assertThat(ordered.keyString(9)).isLessThan(ordered.keyString(10));
        assertThat(hashed.key(1)).hasSize(23);
        assertThat(hashed.keyString(1)).isNotEqualTo(hashed.keyString(2)).startsWith("user");
        assertThat(hashed.keyString(1)).isEqualTo(new KeyNames(true).keyString(1));
    }
}
