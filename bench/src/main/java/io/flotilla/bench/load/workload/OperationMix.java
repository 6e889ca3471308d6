package io.flotilla.bench.load.workload;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The share of each operation, as proportions that sum to 1. Choosing takes one uniform draw
 * per operation, so a seeded thread issues the same sequence every run.
 */
public record OperationMix(double read, double update, double insert, double scan, double readModifyWrite) {
    public OperationMix {
        double[] all = {read, update, insert, scan, readModifyWrite};
        double sum = 0;
        for (double p : all) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("an operation proportion must be in [0, 1], got " + p);
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("operation proportions must sum to 1, they sum to " + sum);
        }
    }

    /** The operation for a uniform draw {@code u} in [0, 1). */
    public Operation pick(double u) {
        double edge = read;
        if (u < edge) {
            return Operation.READ;
        }
        edge += update;
        if (u < edge) {
            return Operation.UPDATE;
        }
        edge += insert;
        if (u < edge) {
            return Operation.INSERT;
        }
        edge += scan;
        if (u < edge) {
            return Operation.SCAN;
        }
        // Rounding may leave a sliver above the last edge: it goes to the last operation in use.
        return readModifyWrite > 0 ? Operation.READ_MODIFY_WRITE : last();
    }

    private Operation last() {
        return scan > 0 ? Operation.SCAN : insert > 0 ? Operation.INSERT : update > 0 ? Operation.UPDATE
                : Operation.READ;
    }

    public Map<Operation, Double> asMap() {
        Map<Operation, Double> m = new EnumMap<>(Operation.class);
        m.put(Operation.READ, read);
        m.put(Operation.UPDATE, update);
        m.put(Operation.INSERT, insert);
        m.put(Operation.SCAN, scan);
        m.put(Operation.READ_MODIFY_WRITE, readModifyWrite);
        return m;
    }

    /** The operations in use and their shares, for the result file. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        asMap().forEach((op, p) -> {
            if (p > 0) {
                m.put(op.name(), p);
            }
        });
        return m;
    }
}
