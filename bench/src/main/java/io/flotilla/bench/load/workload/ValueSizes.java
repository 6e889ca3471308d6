package io.flotilla.bench.load.workload;

import java.util.SplittableRandom;

/** Value lengths: fixed ("1000") or uniform in a closed range ("100-4000"). */
public record ValueSizes(int min, int max) {
    /** A value above this would dwarf the per-request work the benchmark is about; larger is refused. */
    public static final int LARGEST = 1 << 20;

    public ValueSizes {
        if (min < 1 || max < min || max > LARGEST) {
            throw new IllegalArgumentException("value sizes must satisfy 1 <= min <= max <= " + LARGEST + ", got "
                    + min + "-" + max);
        }
    }

    public static ValueSizes parse(String spec) {
        try {
            int dash = spec.indexOf('-');
            if (dash < 0) {
                int n = Integer.parseInt(spec.trim());
                return new ValueSizes(n, n);
            }
            return new ValueSizes(Integer.parseInt(spec.substring(0, dash).trim()),
                    Integer.parseInt(spec.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--value-bytes needs N or MIN-MAX, got '" + spec + "'");
        }
    }

    /** A new random value of a size from the range. */
    public byte[] next(SplittableRandom random) {
        byte[] v = new byte[min == max ? min : min + random.nextInt(max - min + 1)];
        random.nextBytes(v);
        return v;
    }

    @Override
    public String toString() {
        return min == max ? String.valueOf(min) : min + "-" + max;
    }
}
