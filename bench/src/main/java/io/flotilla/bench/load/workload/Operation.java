package io.flotilla.bench.load.workload;

/** The operations of YCSB's core workloads, as Flotilla calls carry them out. */
public enum Operation {
    /** A linearizable get of an existing record. */
    READ,
    /** A put that overwrites an existing record with a new value. */
    UPDATE,
    /** A put of a new record (the key space grows). */
    INSERT,
    /** A range scan of a few records from an existing key. */
    SCAN,
    /** Read a record, then compare-and-set it from the value read to a new one. */
    READ_MODIFY_WRITE
}
