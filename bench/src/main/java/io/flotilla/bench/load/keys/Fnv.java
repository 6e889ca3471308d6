package io.flotilla.bench.load.keys;

/** 64-bit FNV-1a over the eight bytes of a long: cheap, well spread, the hash YCSB uses for keys. */
public final class Fnv {
    private static final long OFFSET = 0xCBF29CE484222325L;
    private static final long PRIME = 0x100000001B3L;

    private Fnv() {
    }

    public static long hash64(long value) {
        long h = OFFSET;
        for (int i = 0; i < 8; i++) {
            h ^= value & 0xFF;
            h *= PRIME;
            value >>>= 8;
        }
        return h;
    }
}
